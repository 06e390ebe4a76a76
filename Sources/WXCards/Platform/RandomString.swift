/// Unguessable identifiers (tokens, secrets, card ids) from the system's CSPRNG.
public enum RandomString {
    public static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    public static let hex = Array("0123456789abcdef")
    public static let digits = Array("0123456789")

    public static func make(length: Int, alphabet: [Character] = urlSafe) -> String {
        var rng = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }
}
