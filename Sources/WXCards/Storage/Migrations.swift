/// The schema, as numbered steps applied in order. One set for both engines: the SQL here
/// sticks to what SQLite and PostgreSQL read alike (TEXT, BIGINT, BOOLEAN).
///
/// appid leads the key of every tenant table, so a distributed PostgreSQL can shard by tenant.
/// Never edit a released step: add a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]
}

public enum Migrations {
    public static let all: [Migration] = [
        Migration(
            version: 1,
            name: "apps, access tokens, components, server clock",
            statements: [
                """
                CREATE TABLE apps (
                    appid TEXT PRIMARY KEY,
                    secret TEXT NOT NULL,
                    pay_enabled BOOLEAN NOT NULL DEFAULT TRUE,
                    entity TEXT NOT NULL,
                    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE access_tokens (
                    appid TEXT NOT NULL,
                    token TEXT NOT NULL,
                    issued_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    PRIMARY KEY (appid, token)
                )
                """,
                "CREATE UNIQUE INDEX access_tokens_by_token ON access_tokens (token)",
                """
                CREATE TABLE components (
                    component_appid TEXT PRIMARY KEY,
                    secret TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE server_clock (
                    id INTEGER PRIMARY KEY,
                    offset_seconds BIGINT NOT NULL
                )
                """,
                "INSERT INTO server_clock (id, offset_seconds) VALUES (1, 0)",
            ]
        ),
        Migration(
            version: 2,
            name: "card definitions, test whitelists, claim QR codes",
            statements: [
                """
                CREATE TABLE cards (
                    appid TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    card_type TEXT NOT NULL,
                    status TEXT NOT NULL,
                    body TEXT NOT NULL,
                    quantity BIGINT NOT NULL,
                    total_quantity BIGINT NOT NULL,
                    create_time BIGINT NOT NULL,
                    update_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, card_id),
                    CHECK (quantity >= 0)
                )
                """,
                "CREATE UNIQUE INDEX cards_by_id ON cards (card_id)",
                "CREATE INDEX cards_by_status ON cards (appid, status, create_time)",
                """
                CREATE TABLE card_test_whitelist (
                    appid TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (appid, kind, value)
                )
                """,
                """
                CREATE TABLE card_qrcodes (
                    appid TEXT NOT NULL,
                    ticket TEXT NOT NULL,
                    action_name TEXT NOT NULL,
                    cards TEXT NOT NULL,
                    expire_time BIGINT,
                    create_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, ticket)
                )
                """,
            ]
        ),
        Migration(
            version: 3,
            name: "codes held by users, their ledger, sandbox users and their messages, activation forms",
            statements: [
                """
                CREATE TABLE user_cards (
                    appid TEXT NOT NULL,
                    ucid TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    code TEXT NOT NULL,
                    code_scope TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    status TEXT NOT NULL,
                    claim_time BIGINT NOT NULL,
                    begin_time BIGINT,
                    end_time BIGINT,
                    activated BOOLEAN NOT NULL DEFAULT FALSE,
                    membership_number TEXT NOT NULL DEFAULT '',
                    bonus BIGINT NOT NULL DEFAULT 0,
                    balance BIGINT NOT NULL DEFAULT 0,
                    prev_bonus BIGINT NOT NULL DEFAULT 0,
                    prev_balance BIGINT NOT NULL DEFAULT 0,
                    custom_field_value1 TEXT,
                    custom_field_value2 TEXT,
                    custom_field_value3 TEXT,
                    background_pic_url TEXT,
                    user_info TEXT NOT NULL DEFAULT '{}',
                    outer_str TEXT,
                    outer_id BIGINT,
                    gift_time BIGINT,
                    gift_to_openid TEXT,
                    gift_from_ucid TEXT,
                    unavailable_reason TEXT,
                    consume_time BIGINT,
                    ledger_seq BIGINT NOT NULL DEFAULT 0,
                    update_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, ucid),
                    CHECK (bonus >= 0 AND balance >= 0)
                )
                """,
                "CREATE UNIQUE INDEX user_cards_by_code ON user_cards (appid, code_scope, code)",
                "CREATE INDEX user_cards_by_card_code ON user_cards (appid, card_id, code)",
                "CREATE INDEX user_cards_by_openid ON user_cards (appid, openid, card_id)",
                """
                CREATE TABLE member_ledger (
                    appid TEXT NOT NULL,
                    ucid TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    card_id TEXT NOT NULL,
                    code TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    delta BIGINT NOT NULL,
                    result BIGINT NOT NULL,
                    record TEXT,
                    source TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    PRIMARY KEY (appid, ucid, seq)
                )
                """,
                """
                CREATE TABLE sandbox_users (
                    appid TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    nickname TEXT,
                    sex TEXT,
                    PRIMARY KEY (appid, openid)
                )
                """,
                """
                CREATE TABLE user_messages (
                    appid TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    time BIGINT NOT NULL,
                    kind TEXT NOT NULL,
                    text TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    code TEXT,
                    cell TEXT,
                    PRIMARY KEY (appid, openid, seq)
                )
                """,
                """
                CREATE TABLE activate_forms (
                    appid TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    form TEXT NOT NULL,
                    update_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, card_id)
                )
                """,
                """
                CREATE TABLE activate_tickets (
                    appid TEXT NOT NULL,
                    ticket TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    code TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    info TEXT NOT NULL,
                    create_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, ticket)
                )
                """,
                """
                CREATE TABLE server_keys (
                    name TEXT PRIMARY KEY,
                    value TEXT NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 4,
            name: "merchant ids, pay-gift rules, payments",
            statements: [
                // Merchant ids are WeChat Pay's, not an app's: one table for the whole server.
                """
                CREATE TABLE merchants (
                    mchid TEXT PRIMARY KEY,
                    entity TEXT NOT NULL,
                    update_time BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE pay_gift_rules (
                    appid TEXT NOT NULL,
                    rule_id BIGINT NOT NULL,
                    type TEXT NOT NULL,
                    mchid_list TEXT NOT NULL,
                    begin_time BIGINT NOT NULL,
                    end_time BIGINT NOT NULL,
                    card_id TEXT NOT NULL,
                    least_cost BIGINT NOT NULL,
                    max_cost BIGINT NOT NULL,
                    jump_url TEXT,
                    app_brand_id TEXT,
                    app_brand_pass TEXT,
                    status TEXT NOT NULL,
                    create_seq BIGINT NOT NULL,
                    create_time BIGINT NOT NULL,
                    update_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, rule_id)
                )
                """,
                "CREATE UNIQUE INDEX pay_gift_rules_by_id ON pay_gift_rules (rule_id)",
                "CREATE INDEX pay_gift_rules_by_status ON pay_gift_rules (appid, status, create_seq)",
                // Which live rule holds a merchant id. The primary key is what makes taking a
                // mchid atomic across apps: two rules can never hold one mchid.
                """
                CREATE TABLE pay_gift_mchids (
                    mchid TEXT PRIMARY KEY,
                    appid TEXT NOT NULL,
                    rule_id BIGINT NOT NULL
                )
                """,
                "CREATE INDEX pay_gift_mchids_by_rule ON pay_gift_mchids (appid, rule_id)",
                // The users a pay-gift message was sent to, once per card.
                """
                CREATE TABLE pay_gift_sends (
                    appid TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    rule_id BIGINT NOT NULL,
                    transaction_id TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    PRIMARY KEY (appid, card_id, openid)
                )
                """,
                """
                CREATE TABLE payments (
                    appid TEXT NOT NULL,
                    transaction_id TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    mchid TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    total_fee BIGINT NOT NULL,
                    actual_fee BIGINT NOT NULL,
                    card_id TEXT,
                    code TEXT,
                    bonus_added BIGINT NOT NULL,
                    bonus_used BIGINT NOT NULL,
                    gift_card_id TEXT,
                    gift_rule_id BIGINT,
                    time BIGINT NOT NULL,
                    PRIMARY KEY (appid, transaction_id)
                )
                """,
                "CREATE INDEX payments_by_openid ON payments (appid, openid, seq)",
                // Where a message leads when tapped (the pay-gift message's jump_url / Mini Program).
                "ALTER TABLE user_messages ADD COLUMN link TEXT",
            ]
        ),
        Migration(
            version: 5,
            name: "event pushes: message servers, the outbox and journal, stock reminders",
            statements: [
                // An app's message server; the token and key never leave the server.
                """
                CREATE TABLE push_servers (
                    appid TEXT PRIMARY KEY,
                    url TEXT NOT NULL,
                    token TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    encoding_aes_key TEXT,
                    update_time BIGINT NOT NULL
                )
                """,
                // Every push, written in the transaction of the change that causes it: the
                // outbox while pending, the journal once delivered or failed. `*_ms` columns are
                // wall-clock milliseconds (retries wait real seconds, whatever the sandbox clock
                // does); `create_time` is the server clock, as in the XML; `seq` orders pushes
                // (wall-clock microseconds, increasing within a process). `id` starts with `seq` in
                // hex, so the primary key is in the order pushes were made: it serves the journal
                // (newest first) and the outbox (oldest first), and a new push is appended to it.
                // The XML sits in its own table: written once, it is not rewritten each time the
                // push's state changes (SQLite rewrites a whole row on UPDATE).
                """
                CREATE TABLE push_outbox (
                    appid TEXT NOT NULL,
                    id TEXT NOT NULL,
                    seq BIGINT NOT NULL,
                    event TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    order_key TEXT NOT NULL,
                    create_time BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    attempt_count INTEGER NOT NULL,
                    next_attempt_ms BIGINT NOT NULL,
                    lease_until_ms BIGINT NOT NULL,
                    PRIMARY KEY (appid, id)
                )
                """,
                """
                CREATE TABLE push_bodies (
                    appid TEXT NOT NULL,
                    id TEXT NOT NULL,
                    xml TEXT NOT NULL,
                    PRIMARY KEY (appid, id)
                )
                """,
                "CREATE INDEX push_outbox_pending ON push_outbox (id) WHERE state = 'pending'",
                "CREATE INDEX push_outbox_order ON push_outbox (appid, order_key, id) WHERE state = 'pending'",
                // Each attempt at a push: `status` is null when no HTTP answer came.
                """
                CREATE TABLE push_attempts (
                    appid TEXT NOT NULL,
                    id TEXT NOT NULL,
                    n INTEGER NOT NULL,
                    time BIGINT NOT NULL,
                    status INTEGER,
                    latency_ms BIGINT NOT NULL,
                    response TEXT NOT NULL,
                    PRIMARY KEY (appid, id, n)
                )
                """,
                // When a card last sent card_sku_remind (at most every 12 hours).
                """
                CREATE TABLE push_sku_reminds (
                    appid TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    last_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, card_id)
                )
                """,
            ]
        ),
        Migration(
            version: 6,
            name: "card activity and the daily statistics rolled up from it",
            statements: [
                // Where a card was made, as datacube's cond_source counts it: 1 through the API,
                // 0 in the web console. Every card before this step came through the API.
                "ALTER TABLE cards ADD COLUMN source INTEGER NOT NULL DEFAULT 1",
                // What users did with cards, one row per act, written in the act's transaction.
                // `day` is the China day (UTC+8) of the server clock; `hold` is how the act
                // changed the number of usable codes the user holds (-1, 0, +1). The card's
                // source and kind are copied so a day rolls up without joins.
                """
                CREATE TABLE card_activity (
                    appid TEXT NOT NULL,
                    day BIGINT NOT NULL,
                    id TEXT NOT NULL,
                    card_id TEXT NOT NULL,
                    source INTEGER NOT NULL,
                    member BOOLEAN NOT NULL,
                    openid TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    hold INTEGER NOT NULL,
                    fee BIGINT NOT NULL,
                    original_fee BIGINT NOT NULL,
                    PRIMARY KEY (appid, day, id)
                )
                """,
                // One closed day of one scope: a card ('card:ID'), all cards of a source
                // ('all:1'), or the member cards of a source ('member:1'). A day without
                // activity has no row; its totals are those of the row before.
                """
                CREATE TABLE card_stats (
                    appid TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    day BIGINT NOT NULL,
                    view_cnt BIGINT NOT NULL, view_user BIGINT NOT NULL,
                    receive_cnt BIGINT NOT NULL, receive_user BIGINT NOT NULL,
                    verify_cnt BIGINT NOT NULL, verify_user BIGINT NOT NULL,
                    given_cnt BIGINT NOT NULL, given_user BIGINT NOT NULL,
                    expire_cnt BIGINT NOT NULL, expire_user BIGINT NOT NULL,
                    active_cnt BIGINT NOT NULL, active_user BIGINT NOT NULL,
                    new_user BIGINT NOT NULL,
                    fee BIGINT NOT NULL, original_fee BIGINT NOT NULL,
                    total_user BIGINT NOT NULL, total_receive_user BIGINT NOT NULL,
                    PRIMARY KEY (appid, scope, day)
                )
                """,
                // Each user of a member scope, as of the last closed day: how many usable codes
                // they hold, and whether they ever claimed one.
                """
                CREATE TABLE card_stat_members (
                    appid TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    openid TEXT NOT NULL,
                    codes BIGINT NOT NULL,
                    claimed BOOLEAN NOT NULL,
                    PRIMARY KEY (appid, scope, openid)
                )
                """,
                // Each scope's running totals, and the last day an app has rolled up.
                """
                CREATE TABLE card_stat_totals (
                    appid TEXT NOT NULL,
                    scope TEXT NOT NULL,
                    total_user BIGINT NOT NULL,
                    total_receive_user BIGINT NOT NULL,
                    PRIMARY KEY (appid, scope)
                )
                """,
                """
                CREATE TABLE card_stat_progress (
                    appid TEXT PRIMARY KEY,
                    rolled_through BIGINT NOT NULL
                )
                """,
                // Codes expire and gifts come back by the clock alone, with no act to log: the
                // roll-up finds them by these.
                "CREATE INDEX user_cards_by_end ON user_cards (appid, end_time) WHERE end_time IS NOT NULL",
                "CREATE INDEX user_cards_gifting ON user_cards (appid, gift_time) WHERE status = 'GIFTING'",
            ]
        ),
        Migration(
            version: 7,
            name: "third-party platforms (components, authorizations) and sub-merchants",
            statements: [
                // A component's message settings: the token and key it checks and decrypts with,
                // where authorization events go, and where its authorizers' messages go
                // (`$APPID$` stands for the authorizer). `ticket_pushed_at` is the server time of
                // the last scheduled ticket push.
                "ALTER TABLE components ADD COLUMN token TEXT",
                "ALTER TABLE components ADD COLUMN encoding_aes_key TEXT",
                "ALTER TABLE components ADD COLUMN auth_url TEXT",
                "ALTER TABLE components ADD COLUMN message_url TEXT",
                "ALTER TABLE components ADD COLUMN ticket_pushed_at BIGINT",
                // An authorizer token is an access token of the authorizer app, issued to a
                // component; its function scopes are copied from the authorization (a new
                // authorization revokes the old tokens).
                "ALTER TABLE access_tokens ADD COLUMN component_appid TEXT",
                "ALTER TABLE access_tokens ADD COLUMN func_scope TEXT",
                """
                CREATE TABLE component_tickets (
                    component_appid TEXT NOT NULL,
                    ticket TEXT NOT NULL,
                    issued_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    PRIMARY KEY (component_appid, ticket)
                )
                """,
                """
                CREATE TABLE component_tokens (
                    component_appid TEXT NOT NULL,
                    token TEXT NOT NULL,
                    issued_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    PRIMARY KEY (component_appid, token)
                )
                """,
                "CREATE UNIQUE INDEX component_tokens_by_token ON component_tokens (token)",
                // Pre-auth codes and authorization codes: single use, short-lived.
                """
                CREATE TABLE component_codes (
                    component_appid TEXT NOT NULL,
                    code TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    authorizer_appid TEXT,
                    expires_at BIGINT NOT NULL,
                    used BOOLEAN NOT NULL,
                    PRIMARY KEY (component_appid, code)
                )
                """,
                // An app's authorization of a component, keyed by the authorizing app.
                """
                CREATE TABLE authorizations (
                    appid TEXT NOT NULL,
                    component_appid TEXT NOT NULL,
                    func_scope TEXT NOT NULL,
                    refresh_token TEXT NOT NULL,
                    authorized_at BIGINT NOT NULL,
                    PRIMARY KEY (appid, component_appid)
                )
                """,
                // Sub-merchants (代制) of a parent account.
                """
                CREATE TABLE sub_merchants (
                    appid TEXT NOT NULL,
                    merchant_id BIGINT NOT NULL,
                    brand_name TEXT NOT NULL,
                    app_id TEXT NOT NULL,
                    logo_url TEXT NOT NULL,
                    protocol TEXT NOT NULL,
                    agreement_media_id TEXT NOT NULL,
                    operator_media_id TEXT NOT NULL,
                    end_time BIGINT NOT NULL,
                    primary_category_id BIGINT NOT NULL,
                    secondary_category_id BIGINT NOT NULL,
                    status TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    create_time BIGINT NOT NULL,
                    update_time BIGINT NOT NULL,
                    begin_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, merchant_id)
                )
                """,
            ]
        ),
        Migration(
            version: 8,
            name: "leases of background work, so each runs on one instance at a time",
            statements: [
                """
                CREATE TABLE background_leases (
                    name TEXT PRIMARY KEY,
                    holder TEXT NOT NULL,
                    until_ms BIGINT NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 9,
            name: "web console sessions; codes by membership number",
            statements: [
                // The signed-in app, or the component and the app it is looking at. The id is
                // the cookie; csrf is the token every form that changes something carries.
                """
                CREATE TABLE console_sessions (
                    id TEXT PRIMARY KEY,
                    appid TEXT,
                    component_appid TEXT,
                    csrf TEXT NOT NULL,
                    expires_at BIGINT NOT NULL
                )
                """,
                // The console's search by membership number reads this instead of every code of
                // the app. Codes not yet activated have none and stay out of it, and the console
                // lists members by openid (user_cards_by_openid) rather than by a third index:
                // each index on user_cards costs every claim (7% of claims/s measured for one).
                "CREATE INDEX user_cards_by_membership_number ON user_cards (appid, membership_number) WHERE membership_number <> ''",
            ]
        ),
        Migration(
            version: 10,
            name: "injected faults, the request journal, QR tickets by ticket",
            statements: [
                // rate is stored as the share of matching requests affected (0 to 1); remaining
                // counts down from `count` (NULL: the fault never expires).
                """
                CREATE TABLE sandbox_faults (
                    appid TEXT NOT NULL,
                    id TEXT NOT NULL,
                    path TEXT NOT NULL,
                    method TEXT,
                    errcode BIGINT,
                    errmsg TEXT,
                    latency_ms BIGINT NOT NULL,
                    drop_connection BOOLEAN NOT NULL,
                    rate DOUBLE PRECISION NOT NULL,
                    remaining BIGINT,
                    hits BIGINT NOT NULL,
                    create_time BIGINT NOT NULL,
                    PRIMARY KEY (appid, id)
                )
                """,
                // id: wall milliseconds in fixed-width hex and a random part, so text order is
                // time order and instances never collide.
                """
                CREATE TABLE request_journal (
                    appid TEXT NOT NULL,
                    id TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    method TEXT NOT NULL,
                    path TEXT NOT NULL,
                    body TEXT NOT NULL,
                    errcode BIGINT,
                    latency_ms BIGINT NOT NULL,
                    rid TEXT NOT NULL,
                    fault_id TEXT,
                    PRIMARY KEY (appid, id)
                )
                """,
                // `/cgi-bin/showqrcode?ticket=…` names a ticket, not an app.
                "CREATE INDEX card_qrcodes_by_ticket ON card_qrcodes (ticket)",
            ]
        ),
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }
}
