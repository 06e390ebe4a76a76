/// The XML of a push, element by element in WeChat's order: text in CDATA, numbers bare.
public struct EventXML: Sendable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case number(Int64)
    }

    public var elements: [(name: String, value: Value)]

    public init(_ elements: [(name: String, value: Value)]) { self.elements = elements }

    public var text: String {
        var xml = "<xml>"
        for (name, value) in elements {
            switch value {
            case .text(let text): xml += "<\(name)>\(Self.cdata(text))</\(name)>"
            case .number(let number): xml += "<\(name)>\(number)</\(name)>"
            }
        }
        return xml + "</xml>"
    }

    /// `]]>` cannot stand inside one CDATA section: it is split across two.
    static func cdata(_ text: String) -> String {
        "<![CDATA[" + text.replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>") + "]]>"
    }
}
