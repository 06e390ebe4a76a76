import SQLKit

/// The SQL of sub-merchants: one row per application, scoped by the parent account's appid.
struct SubMerchantStore: Sendable {
    let store: Store

    struct Row: Sendable {
        let merchantID: Int64
        let info: SubMerchantRules.Info
        let status: SubMerchantRules.Status
        let createTime: Int64
        let updateTime: Int64
        let beginTime: Int64
    }

    static let columns: SQLQueryString = """
        merchant_id, brand_name, app_id, logo_url, protocol, agreement_media_id, operator_media_id, end_time,
        primary_category_id, secondary_category_id, status, create_time, update_time, begin_time
        """

    static func row(_ row: any SQLRow) throws -> Row {
        Row(merchantID: try row.decode(column: "merchant_id", as: Int64.self),
            info: SubMerchantRules.Info(
                brandName: try row.decode(column: "brand_name", as: String.self), appID: try row.decode(column: "app_id", as: String.self),
                logoURL: try row.decode(column: "logo_url", as: String.self),
                protocolMediaID: try row.decode(column: "protocol", as: String.self),
                agreementMediaID: try row.decode(column: "agreement_media_id", as: String.self),
                operatorMediaID: try row.decode(column: "operator_media_id", as: String.self),
                endTime: try row.decode(column: "end_time", as: Int64.self),
                primaryCategoryID: try row.decode(column: "primary_category_id", as: Int64.self),
                secondaryCategoryID: try row.decode(column: "secondary_category_id", as: Int64.self)),
            status: SubMerchantRules.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .checking,
            createTime: try row.decode(column: "create_time", as: Int64.self),
            updateTime: try row.decode(column: "update_time", as: Int64.self),
            beginTime: try row.decode(column: "begin_time", as: Int64.self))
    }

    static func find(_ db: any SQLDatabase, appid: String, merchantID: Int64) async throws -> Row? {
        try await db.raw("SELECT \(columns) FROM sub_merchants WHERE appid = \(bind: appid) AND merchant_id = \(bind: merchantID)")
            .first().map(Self.row)
    }

    func find(appid: String, merchantID: Int64) async throws -> Row? {
        try await store.read { db in try await Self.find(db, appid: appid, merchantID: merchantID) }
    }

    /// A new application, CHECKING, under a fresh merchant id (9 digits, random, so that two
    /// instances never hand out the same one).
    func insert(appid: String, _ info: SubMerchantRules.Info, now: Int64) async throws -> Row {
        try await store.write { db in
            for _ in 0..<8 {
                let id = Int64.random(in: 100_000_000...999_999_999)
                let inserted = try await db.raw("""
                    INSERT INTO sub_merchants (appid, merchant_id, brand_name, app_id, logo_url, protocol, agreement_media_id,
                        operator_media_id, end_time, primary_category_id, secondary_category_id, status, reason,
                        create_time, update_time, begin_time)
                    VALUES (\(bind: appid), \(bind: id), \(bind: info.brandName), \(bind: info.appID), \(bind: info.logoURL),
                        \(bind: info.protocolMediaID), \(bind: info.agreementMediaID), \(bind: info.operatorMediaID),
                        \(bind: info.endTime), \(bind: info.primaryCategoryID), \(bind: info.secondaryCategoryID),
                        'CHECKING', '', \(bind: now), \(bind: now), \(bind: now))
                    ON CONFLICT (appid, merchant_id) DO NOTHING
                    RETURNING \(Self.columns)
                    """).first()
                if let inserted { return try Self.row(inserted) }
            }
            throw InternalError("no free sub-merchant id after 8 draws")
        }
    }

    /// Replaces the application's fields; it goes back to review (CHECKING).
    func update(appid: String, merchantID: Int64, _ info: SubMerchantRules.Info, now: Int64) async throws -> Row? {
        try await store.write { db in
            try await db.raw("""
                UPDATE sub_merchants SET brand_name = \(bind: info.brandName), app_id = \(bind: info.appID),
                    logo_url = \(bind: info.logoURL), protocol = \(bind: info.protocolMediaID),
                    agreement_media_id = \(bind: info.agreementMediaID), operator_media_id = \(bind: info.operatorMediaID),
                    end_time = \(bind: info.endTime), primary_category_id = \(bind: info.primaryCategoryID),
                    secondary_category_id = \(bind: info.secondaryCategoryID), status = 'CHECKING', reason = '',
                    update_time = \(bind: now)
                WHERE appid = \(bind: appid) AND merchant_id = \(bind: merchantID)
                RETURNING \(Self.columns)
                """).first().map(Self.row)
        }
    }

    /// Applications with an id above `after`, in id order; `status` filters by the status shown.
    func list(appid: String, after: Int64, limit: Int, status: SubMerchantRules.Status?, now: Int64) async throws -> [Row] {
        try await store.read { db in
            var sql: SQLQueryString = "SELECT \(Self.columns) FROM sub_merchants WHERE appid = \(bind: appid) AND merchant_id > \(bind: after)"
            switch status {
            case .none: break
            case .expired?: sql = sql + " AND status <> 'REJECTED' AND end_time <= \(bind: now)"
            case .rejected?: sql = sql + " AND status = 'REJECTED'"
            case let other?: sql = sql + " AND status = \(bind: other.rawValue) AND end_time > \(bind: now)"
            }
            sql = sql + " ORDER BY merchant_id LIMIT \(bind: limit)"
            return try await db.raw(sql).all().map(Self.row)
        }
    }

    /// Moves a CHECKING application to `status` in the caller's transaction; answers whether it did.
    static func review(_ db: any SQLDatabase, appid: String, merchantID: Int64, to status: SubMerchantRules.Status,
                       reason: String, now: Int64) async throws -> Bool {
        try await db.raw("""
            UPDATE sub_merchants SET status = \(bind: status.rawValue), reason = \(bind: reason), update_time = \(bind: now),
                begin_time = CASE WHEN \(bind: status.rawValue) = 'APPROVED' THEN \(bind: now) ELSE begin_time END
            WHERE appid = \(bind: appid) AND merchant_id = \(bind: merchantID) AND status = 'CHECKING'
            RETURNING merchant_id
            """).first() != nil
    }
}
