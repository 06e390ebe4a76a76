import Foundation
import Logging
import SQLKit

/// The third-party platform chain as WeChat runs it (api-spec §9.1): verify tickets, component
/// tokens, pre-auth codes, the merchant's authorization, authorization codes and authorizer
/// tokens. Authorizer tokens are access tokens of the authorizing app (`AccessTokens` checks
/// them like the app's own), tagged with the component and the granted scopes.
public struct Components: Sendable {
    let store: Store
    let components: ComponentStore
    let apps: AppStore
    let tokens: AccessTokens
    let clock: ServerClock

    public init(store: Store, apps: AppStore, tokens: AccessTokens, clock: ServerClock) {
        self.store = store
        self.components = ComponentStore(store: store)
        self.apps = apps
        self.tokens = tokens
        self.clock = clock
    }

    // MARK: WeChat's side (sandbox)

    public func exists(_ componentAppID: String) async throws -> Bool {
        try await components.component(componentAppID) != nil
    }

    public func configure(componentAppID: String?, _ settings: ComponentRules.Settings) async throws -> ComponentRecord {
        let id = try Self.required(componentAppID)
        try ComponentRules.check(settings)
        guard let component = try await components.update(id, settings) else { throw WeChatError.invalidComponent }
        return component
    }

    /// A fresh ticket, as the ten-minute push would bring; pushed too when an event URL is set.
    public func verifyTicket(componentAppID: String?) async throws -> String {
        let id = try Self.required(componentAppID)
        guard try await components.component(id) != nil else { throw WeChatError.invalidComponent }
        let now = try await clock.now()
        return try await store.write { db in try await Self.issueTicket(db, componentAppID: id, now: now) }
    }

    static func issueTicket(_ db: any SQLDatabase, componentAppID: String, now: Int64) async throws -> String {
        let ticket = ComponentRules.newTicket()
        try await ComponentStore.insertTicket(db, componentAppID: componentAppID, ticket: ticket, now: now)
        let xml = ComponentRules.infoXML(componentAppID: componentAppID, createTime: now, infoType: "component_verify_ticket",
                                         [("ComponentVerifyTicket", .text(ticket))])
        try await Pushes.recordComponent(db, componentAppID: componentAppID, infoType: "component_verify_ticket", xml: xml, now: now)
        return ticket
    }

    /// Pushes a new ticket to every component whose ten minutes (of server time) are up. One
    /// instance takes each push. Answers how many were pushed.
    @discardableResult
    public func pushDueTickets() async throws -> Int {
        let now = try await clock.now()
        var pushed = 0
        for id in try await components.componentsDueForTicket(now: now) {
            let took = try await store.write { db -> Bool in
                guard try await ComponentStore.takeTicketPush(db, componentAppID: id, now: now) else { return false }
                _ = try await Self.issueTicket(db, componentAppID: id, now: now)
                return true
            }
            if took { pushed += 1 }
        }
        return pushed
    }

    /// Runs `pushDueTickets` every second until cancelled (beside the server).
    public func runTicketSchedule(logger: Logger) async {
        while !Task.isCancelled {
            do { try await pushDueTickets() } catch {
                logger.error("components: cannot push verify tickets", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// The merchant approves the component on WeChat's page: answers the authorization code,
    /// and pushes `authorized` (or `updateauthorized`). Called with the authorizer's own token.
    public func authorize(caller: AccessTokens.Caller, componentAppID: String?, preAuthCode: String?, authorizerAppID: String?,
                          funcScope: [Int]?) async throws -> String {
        let callerAppID = try Self.merchant(caller)
        let id = try Self.required(componentAppID)
        guard let preAuthCode, !preAuthCode.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing pre_auth_code") }
        guard let authorizerAppID, !authorizerAppID.isEmpty else {
            throw WeChatError.missingRequiredFields.detail("missing authorizer_appid")
        }
        guard authorizerAppID == callerAppID else {
            throw WeChatError.invalidAppID.detail("authorizer_appid must be the app of the access_token: a merchant authorizes for itself")
        }
        let scopes = try ComponentRules.scopes(funcScope)
        guard preAuthCode.utf8.count <= ComponentRules.maxCredentialBytes else { throw WeChatError.authCodeInvalid }
        guard try await components.component(id) != nil else { throw WeChatError.invalidComponent }
        let now = try await clock.now()
        let code = ComponentRules.newAuthCode()
        let stopped = try await store.write { db -> Bool in
            _ = try await ComponentStore.useCode(db, componentAppID: id, code: preAuthCode, kind: .preAuth, now: now)
            let before = try await ComponentStore.authorization(db, appid: authorizerAppID, componentAppID: id)
            try await ComponentStore.authorize(db, appid: authorizerAppID, componentAppID: id, scopes: scopes,
                                               refreshToken: ComponentRules.newRefreshToken(), now: now)
            // The scopes may have changed: tokens of the old grant stop; query_auth issues new ones.
            let stopped = try await ComponentStore.revokeAuthorizerTokens(db, appid: authorizerAppID, componentAppID: id, now: now)
            try await ComponentStore.insertCode(db, componentAppID: id, code: code, kind: .auth, authorizerAppID: authorizerAppID,
                                                expiresAt: now + ComponentRules.authCodeLifetime)
            let infoType = before == nil ? "authorized" : "updateauthorized"
            let xml = ComponentRules.infoXML(componentAppID: id, createTime: now, infoType: infoType, [
                ("AuthorizerAppid", .text(authorizerAppID)), ("AuthorizationCode", .text(code)),
                ("AuthorizationCodeExpiredTime", .number(now + ComponentRules.authCodeLifetime)), ("PreAuthCode", .text(preAuthCode)),
            ])
            try await Pushes.recordComponent(db, componentAppID: id, infoType: infoType, xml: xml, now: now)
            return stopped
        }
        try await tokens.changed(appid: authorizerAppID, stoppedAtOnce: stopped)
        return code
    }

    /// The merchant withdraws the authorization: its authorizer tokens and refresh token stop,
    /// and `unauthorized` is pushed.
    public func unauthorize(caller: AccessTokens.Caller, componentAppID: String?) async throws {
        let callerAppID = try Self.merchant(caller)
        let id = try Self.required(componentAppID)
        let now = try await clock.now()
        let stopped = try await store.write { db -> Bool in
            guard try await ComponentStore.unauthorize(db, appid: callerAppID, componentAppID: id) else {
                throw WeChatError.componentNotAuthorized
            }
            let stopped = try await ComponentStore.revokeAuthorizerTokens(db, appid: callerAppID, componentAppID: id, now: now)
            let xml = ComponentRules.infoXML(componentAppID: id, createTime: now, infoType: "unauthorized",
                                             [("AuthorizerAppid", .text(callerAppID))])
            try await Pushes.recordComponent(db, componentAppID: id, infoType: "unauthorized", xml: xml, now: now)
            return stopped
        }
        try await tokens.changed(appid: callerAppID, stoppedAtOnce: stopped)
    }

    // MARK: The component API

    /// `api_component_token`: checks the component, its secret and the ticket, in that order.
    public func componentToken(componentAppID: String?, secret: String?, ticket: String?) async throws -> ComponentAnswers.ComponentToken {
        let id = try Self.required(componentAppID)
        guard let secret, !secret.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing component_appsecret") }
        guard let ticket, !ticket.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing component_verify_ticket") }
        guard let component = try await components.component(id) else { throw WeChatError.invalidComponent }
        guard constantTimeEquals(component.secret, secret) else { throw WeChatError.invalidComponentCredential }
        let now = try await clock.now()
        guard ticket.utf8.count <= ComponentRules.maxCredentialBytes,
              let expiry = try await components.ticketExpiry(componentAppID: id, ticket: ticket)
        else { throw WeChatError.componentTicketInvalid }
        guard now < expiry else { throw WeChatError.componentTicketExpired }
        let token = RandomString.make(length: AccessTokenRules.length)
        try await components.issueComponentToken(componentAppID: id, token: token, now: now)
        return .init(component_access_token: token, expires_in: ComponentRules.tokenLifetime)
    }

    /// The component a component token stands for. Missing → 41021; an app's or authorizer's
    /// token → 61014; unknown or replaced → 40001; expired → 42001, as WeChat answers in
    /// practice and as SDKs expect: wechatpy's component refetches its token on 40001, 40014
    /// and 42001 only (api-spec's 42006 would strand it).
    public func componentAppID(forToken token: String?) async throws -> String {
        guard let token, !token.isEmpty else { throw WeChatError.missingComponentAccessToken }
        guard AccessTokenRules.isWellFormed(token) else { throw WeChatError.invalidAccessToken }
        guard let stored = try await components.componentToken(token) else {
            if try await apps.token(token) != nil { throw WeChatError.mustUseComponentToken }
            throw WeChatError.invalidCredential
        }
        // The same rules as an app's token: expiry first, then replacement.
        let asToken = StoredAccessToken(appid: stored.componentAppID, token: token, issuedAt: stored.expiresAt - ComponentRules.tokenLifetime,
                                        expiresAt: stored.expiresAt, revokedAt: stored.revokedAt)
        switch AccessTokenRules.verdict(for: asToken, now: try await clock.now()) {
        case .valid(let id): return id
        case .expired: throw WeChatError.accessTokenExpired
        case .superseded, .outOfScope: throw WeChatError.invalidCredential
        }
    }

    public func preAuthCode(caller: String, componentAppID: String?) async throws -> ComponentAnswers.PreAuthCode {
        let id = try Self.matching(componentAppID, caller: caller)
        let now = try await clock.now()
        let code = ComponentRules.newPreAuthCode()
        try await store.write { db in
            try await ComponentStore.insertCode(db, componentAppID: id, code: code, kind: .preAuth, authorizerAppID: nil,
                                                expiresAt: now + ComponentRules.preAuthCodeLifetime)
        }
        return .init(pre_auth_code: code, expires_in: ComponentRules.preAuthCodeLifetime)
    }

    /// `api_query_auth`: the authorization code, once, for the authorizer's first token.
    public func queryAuth(caller: String, componentAppID: String?, authorizationCode: String?) async throws -> ComponentAnswers.QueryAuth {
        let id = try Self.matching(componentAppID, caller: caller)
        guard let code = authorizationCode, !code.isEmpty else {
            throw WeChatError.missingRequiredFields.detail("missing authorization_code")
        }
        guard code.utf8.count <= ComponentRules.maxCredentialBytes else { throw WeChatError.authCodeInvalid }
        let now = try await clock.now()
        let engine = store.engine
        let issued = try await store.write { db -> (Authorization, StoredAccessToken, Bool) in
            guard let appid = try await ComponentStore.useCode(db, componentAppID: id, code: code, kind: .auth, now: now),
                  let authorization = try await ComponentStore.authorization(db, appid: appid, componentAppID: id)
            else { throw WeChatError.componentNotAuthorized }
            let token = Self.authorizerToken(authorization, now: now)
            let stopped = try await AppStore.issue(db, token, revokeImmediately: false, engine: engine)
            return (authorization, token, stopped)
        }
        try await tokens.changed(appid: issued.0.authorizerAppID, stoppedAtOnce: issued.2)
        return .init(authorization_info: .init(
            authorizer_appid: issued.0.authorizerAppID, authorizer_access_token: issued.1.token,
            expires_in: ComponentRules.tokenLifetime, authorizer_refresh_token: issued.0.refreshToken,
            func_info: ComponentAnswers.FuncInfo.list(issued.0.scopes)))
    }

    /// `api_authorizer_token`: a new authorizer token for the refresh token; the previous one
    /// keeps working for the usual 5 minutes.
    public func authorizerToken(caller: String, componentAppID: String?, authorizerAppID: String?,
                                refreshToken: String?) async throws -> ComponentAnswers.AuthorizerToken {
        let id = try Self.matching(componentAppID, caller: caller)
        guard let authorizerAppID, !authorizerAppID.isEmpty else {
            throw WeChatError.missingRequiredFields.detail("missing authorizer_appid")
        }
        guard let refreshToken, !refreshToken.isEmpty else {
            throw WeChatError.missingRequiredFields.detail("missing authorizer_refresh_token")
        }
        let now = try await clock.now()
        let engine = store.engine
        let (token, stopped) = try await store.write { db -> (StoredAccessToken, Bool) in
            guard let authorization = try await ComponentStore.authorization(db, appid: authorizerAppID, componentAppID: id) else {
                throw WeChatError.componentNotAuthorized
            }
            guard constantTimeEquals(authorization.refreshToken, refreshToken) else { throw WeChatError.refreshTokenInvalid }
            let token = Self.authorizerToken(authorization, now: now)
            return (token, try await AppStore.issue(db, token, revokeImmediately: false, engine: engine))
        }
        try await tokens.changed(appid: authorizerAppID, stoppedAtOnce: stopped)
        return .init(authorizer_access_token: token.token, expires_in: ComponentRules.tokenLifetime,
                     authorizer_refresh_token: refreshToken)
    }

    public func authorizerInfo(caller: String, componentAppID: String?, authorizerAppID: String?) async throws -> ComponentAnswers.AuthorizerInfo {
        let id = try Self.matching(componentAppID, caller: caller)
        guard let authorizerAppID, !authorizerAppID.isEmpty else {
            throw WeChatError.missingRequiredFields.detail("missing authorizer_appid")
        }
        guard let authorization = try await components.authorization(appid: authorizerAppID, componentAppID: id),
              let app = try await apps.app(authorizerAppID)
        else { throw WeChatError.componentNotAuthorized }
        return .init(
            authorizer_info: .init(
                nick_name: app.entity, head_img: "", service_type_info: .init(id: 2), verify_type_info: .init(id: 0),
                user_name: app.originalID, principal_name: app.entity, alias: "", qrcode_url: "", signature: "",
                business_info: .init(open_store: 0, open_scan: 0, open_pay: app.payEnabled ? 1 : 0, open_card: 1, open_shake: 0),
                account_status: 1),
            authorization_info: .init(authorizer_appid: authorizerAppID, authorizer_refresh_token: authorization.refreshToken,
                                      func_info: ComponentAnswers.FuncInfo.list(authorization.scopes)))
    }

    // MARK: Helpers

    static func authorizerToken(_ authorization: Authorization, now: Int64) -> StoredAccessToken {
        StoredAccessToken(appid: authorization.authorizerAppID, token: RandomString.make(length: AccessTokenRules.length),
                          issuedAt: now, expiresAt: now + ComponentRules.tokenLifetime, revokedAt: nil,
                          componentAppID: authorization.componentAppID, funcScope: ComponentRules.scopeText(authorization.scopes))
    }

    /// Only the merchant itself approves or withdraws, with its own token: not a component
    /// calling as it with an authorizer token.
    static func merchant(_ caller: AccessTokens.Caller) throws -> String {
        guard caller.componentAppID == nil else {
            throw WeChatError.mustUseBizToken.detail("the merchant authorizes with its own access_token, not an authorizer token")
        }
        return caller.appid
    }

    static func required(_ componentAppID: String?) throws -> String {
        guard let componentAppID, !componentAppID.isEmpty else { throw WeChatError.missingComponentAppID }
        return componentAppID
    }

    /// The body's component_appid must be the token's own component.
    static func matching(_ componentAppID: String?, caller: String) throws -> String {
        let id = try required(componentAppID)
        guard id == caller else {
            throw WeChatError.invalidComponent.detail("component_appid is not the component of the component_access_token")
        }
        return id
    }
}
