import Foundation
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
        try await db.template(insert(card.appid, ChinaDay.of(now), newID(), card.cardID, card.source.rawValue, card.isMemberCard,
                                     openid, kind.rawValue, hold, fee, originalFee)).run()
    }

    /// Fixed SQL: this insert is on every claim, consumption and activation.
    private static let insert = SQLTemplate("""
        INSERT INTO card_activity (appid, day, id, card_id, source, member, openid, kind, hold, fee, original_fee)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)

    /// Wall microseconds then 32 random bits, in hex: a new act's key lands at the end of the
    /// day's part of the index rather than on a random page, and the random tail keeps the acts
    /// of two instances (or of one microsecond) apart. Only uniqueness matters: no order is read
    /// from it.
    static func newID() -> String {
        let micros = UInt64(max(0, Date().timeIntervalSince1970 * 1_000_000))
        return Hex.encode(withUnsafeBytes(of: micros.bigEndian) { Array($0) })
            + Hex.encode(withUnsafeBytes(of: UInt32.random(in: .min ... .max)) { Array($0) })
    }

    /// How a code leaving its holder changes what they hold: -1 if they still held it, 0 if it
    /// had already expired or been given away.
    static func released(_ status: UserCardStatus) -> Int64 { isHeld(status) ? -1 : 0 }

    /// A code the user still has: usable, or being given (it comes back if the friend does not
    /// take it). This is what `total_user` counts.
    public static func isHeld(_ status: UserCardStatus) -> Bool { status.isUsable || status == .gifting }
}
