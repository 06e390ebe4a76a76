/// Card ids shaped like WeChat's: `p` and 27 URL-safe characters (28 in all), from the CSPRNG,
/// so they are unique in practice and cannot be guessed.
public enum CardIDs {
    public static let length = 28
    public static func make() -> String { "p" + RandomString.make(length: length - 1) }
}
