import Foundation

/// How the console writes times and amounts.
enum ConsoleText {
    /// `YYYY-MM-DD HH:MM:SS`, China time, as WeChat shows times.
    static func time(_ unix: Int64) -> String {
        let day = ChinaDay.of(unix)
        let second = unix - ChinaDay.start(day)
        func pad(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(ChinaDay.format(day)) \(pad(second / 3600)):\(pad(second % 3600 / 60)):\(pad(second % 60))"
    }

    /// A caller's text (a code, an openid) as one segment of a console path: escaped for the
    /// URL here, and for HTML by the template.
    static func path(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: segment) ?? ""
    }

    private static let segment = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")
}
