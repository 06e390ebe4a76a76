/// Every table of the schema, by whose data it holds. Reset (`POST /sandbox/reset`,
/// `wxcards reset`) wipes from these lists, and a test checks that they name every table the
/// migrations create: a new table must be placed here, or reset would leave its rows behind.
public enum SchemaTables {
    /// A table whose rows belong to one app (an `appid` column), and the name its count has in
    /// the answer of a reset.
    public struct AppTable: Sendable {
        public let table: String
        public let label: String
    }

    /// An app's own data: what `POST /sandbox/reset` wipes for the calling app.
    public static let appData: [AppTable] = [
        AppTable(table: "cards", label: "cards"),
        AppTable(table: "card_test_whitelist", label: "test_whitelist_entries"),
        AppTable(table: "card_qrcodes", label: "qrcodes"),
        AppTable(table: "user_cards", label: "codes"),
        AppTable(table: "member_ledger", label: "ledger_entries"),
        AppTable(table: "sandbox_users", label: "user_profiles"),
        AppTable(table: "user_messages", label: "messages"),
        AppTable(table: "activate_forms", label: "activate_forms"),
        AppTable(table: "activate_tickets", label: "activate_tickets"),
        AppTable(table: "pay_gift_rules", label: "pay_gift_rules"),
        AppTable(table: "pay_gift_mchids", label: "pay_gift_mchids"),
        AppTable(table: "pay_gift_sends", label: "pay_gift_sends"),
        AppTable(table: "payments", label: "payments"),
        AppTable(table: "push_outbox", label: "pushes"),
        AppTable(table: "push_bodies", label: "push_bodies"),
        AppTable(table: "push_attempts", label: "push_attempts"),
        AppTable(table: "push_sku_reminds", label: "stock_reminders"),
        AppTable(table: "card_activity", label: "card_activity"),
        AppTable(table: "card_stats", label: "statistics_days"),
        AppTable(table: "card_stat_members", label: "statistics_members"),
        AppTable(table: "card_stat_totals", label: "statistics_totals"),
        AppTable(table: "card_stat_progress", label: "statistics_progress"),
        AppTable(table: "sub_merchants", label: "sub_merchants"),
        AppTable(table: "sandbox_faults", label: "faults"),
        AppTable(table: "request_journal", label: "journal_entries"),
    ]

    /// The apps and components themselves, with their credentials and settings: kept by every
    /// reset.
    public static let configuration = ["apps", "components", "push_servers", "schema_migrations", "authorizations"]

    /// The server's own state, shared by every app: kept by `POST /sandbox/reset` (another app
    /// depends on it), wiped by `wxcards reset` (tokens go, the clock is set back to wall time,
    /// merchant ids are forgotten). `server_keys` is kept: it holds no data of any app.
    public static let serverState = ["access_tokens", "server_clock", "merchants", "server_keys",
                                            "component_tickets", "component_tokens", "component_codes",
                                            "background_leases", "console_sessions"]
}
