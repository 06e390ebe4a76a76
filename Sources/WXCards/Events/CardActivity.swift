import SQLKit

/// What users do with cards, logged for the statistics (`/datacube/getcard*`). A feature logs an
/// act in the same transaction as the act itself, so the statistics count exactly what happened.
/// One insert per act: the counting is done once, when the day closes (see `StatsRollup`).
public enum CardActivity {
    public enum Kind: String, Sendable, CaseIterable {
        /// The user opened the card.
        case view
        /// The user claimed the card, or received it from a friend.
        case receive
        /// The code was consumed (`code/consume`).
        case verify
        /// The user gave the card to a friend.
        case given
        /// The member card was activated.
        case active
        /// A payment with the member card (Member card 8.5), with its amounts in fen.
        case pay
        /// The code left the user's hands without a counter of its own (deleted, made unavailable).
        case end
        /// The code passed its end. Never logged: the roll-up finds expiries by the clock.
        case expire
    }

    static func record(
        _ db: any SQLDatabase, card: CardDefinition, openid: String, kind: Kind, hold: Int64 = 0,
        fee: Int64 = 0, originalFee: Int64 = 0, now: Int64
    ) async throws {
        try await db.raw("""
            INSERT INTO card_activity (appid, day, id, card_id, source, member, openid, kind, hold, fee, original_fee)
            VALUES (\(bind: card.appid), \(bind: ChinaDay.of(now)), \(bind: RandomString.make(length: 16, alphabet: RandomString.hex)),
                    \(bind: card.cardID), \(bind: card.source.rawValue), \(bind: card.isMemberCard), \(bind: openid),
                    \(bind: kind.rawValue), \(bind: hold), \(bind: fee), \(bind: originalFee))
            """).run()
    }

    /// How a code leaving its holder changes what they hold: -1 if they still held it, 0 if it
    /// had already expired or been given away.
    static func released(_ status: UserCardStatus) -> Int64 { isHeld(status) ? -1 : 0 }

    /// A code the user still has: usable, or being given (it comes back if the friend does not
    /// take it). This is what `total_user` counts.
    public static func isHeld(_ status: UserCardStatus) -> Bool { status.isUsable || status == .gifting }
}
