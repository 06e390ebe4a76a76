import Foundation
import SQLKit

/// The SQL of console sessions: one row per signed-in browser.
struct ConsoleSessionStore: Sendable {
    let store: Store

    struct Row: Decodable, Sendable {
        let id: String
        let appid: String?
        let component_appid: String?
        let csrf: String
        let expires_at: Int64
    }

    func insert(_ row: Row) async throws {
        try await store.write { db in
            // Expired sessions go whenever a new one starts: the table stays as small as the
            // number of people signed in.
            try await db.raw("DELETE FROM console_sessions WHERE expires_at <= \(bind: row.expires_at - ConsoleSession.lifetime)").run()
            try await db.raw("""
                INSERT INTO console_sessions (id, appid, component_appid, csrf, expires_at)
                VALUES (\(bind: row.id), \(bind: row.appid), \(bind: row.component_appid), \(bind: row.csrf), \(bind: row.expires_at))
                """).run()
        }
    }

    func session(id: String, now: Int64) async throws -> Row? {
        try await store.read { db in
            try await db.raw("""
                SELECT id, appid, component_appid, csrf, expires_at FROM console_sessions
                WHERE id = \(bind: id) AND expires_at > \(bind: now)
                """).first(decoding: Row.self)
        }
    }

    /// A component's session looks at one of the apps that authorized it.
    func setApp(id: String, appid: String) async throws {
        try await store.write { db in
            try await db.raw("UPDATE console_sessions SET appid = \(bind: appid) WHERE id = \(bind: id)").run()
        }
    }

    func delete(id: String) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM console_sessions WHERE id = \(bind: id)").run()
        }
    }

    /// The apps that authorized the component, in appid order.
    func authorizedApps(componentAppID: String) async throws -> [String] {
        try await store.read { db in
            try await db.raw("""
                SELECT appid FROM authorizations WHERE component_appid = \(bind: componentAppID) ORDER BY appid
                """).all().map { try $0.decode(column: "appid", as: String.self) }
        }
    }
}
