/// Request ids in WeChat's current format: `xxxxxxxx-xxxxxxxx-xxxxxxxx` (hex).
public enum RequestID {
    public static func make() -> String {
        var rng = SystemRandomNumberGenerator()
        func part() -> String {
            let hex = String(UInt32.random(in: .min ... .max, using: &rng), radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }
        return "\(part())-\(part())-\(part())"
    }
}
