/// The statistics chart of a card page, drawn as SVG on the server: claims, activations and
/// consumptions per day as three lines. Everything written into it is a number or a date this
/// code formats, never text from a caller.
struct ConsoleChart: Sendable {
    struct Series: Sendable {
        let name: String
        let color: String
        let values: [Int64]
    }

    let days: [Int64]
    let series: [Series]

    static let width = 640, height = 240, left = 40, right = 110, top = 12, bottom = 28

    var svg: String {
        let plotWidth = Self.width - Self.left - Self.right, plotHeight = Self.height - Self.top - Self.bottom
        let peak = max(1, series.flatMap(\.values).max() ?? 1)
        func x(_ index: Int) -> Int {
            days.count <= 1 ? Self.left + plotWidth / 2 : Self.left + index * plotWidth / (days.count - 1)
        }
        // In Double: a count times the height could overflow Int64 where the ratio cannot.
        func y(_ value: Int64) -> Int { Self.top + plotHeight - Int((Double(value) / Double(peak) * Double(plotHeight)).rounded()) }
        var parts = ["<svg class=\"chart\" id=\"stats-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.width) \(Self.height)\" role=\"img\" aria-label=\"claims, activations and consumptions per day\">"]
        parts.append("<line x1=\"\(Self.left)\" y1=\"\(Self.top + plotHeight)\" x2=\"\(Self.left + plotWidth)\" y2=\"\(Self.top + plotHeight)\" stroke=\"#999\"/>")
        parts.append("<line x1=\"\(Self.left)\" y1=\"\(Self.top)\" x2=\"\(Self.left)\" y2=\"\(Self.top + plotHeight)\" stroke=\"#999\"/>")
        parts.append("<text x=\"\(Self.left - 4)\" y=\"\(Self.top + 10)\" font-size=\"11\" text-anchor=\"end\">\(peak)</text>")
        parts.append("<text x=\"\(Self.left - 4)\" y=\"\(Self.top + plotHeight)\" font-size=\"11\" text-anchor=\"end\">0</text>")
        if let first = days.first, let last = days.last {
            parts.append("<text x=\"\(Self.left)\" y=\"\(Self.height - 8)\" font-size=\"11\">\(ChinaDay.format(first))</text>")
            if days.count > 1 {
                parts.append("<text x=\"\(Self.left + plotWidth)\" y=\"\(Self.height - 8)\" font-size=\"11\" text-anchor=\"end\">\(ChinaDay.format(last))</text>")
            }
        }
        for (index, line) in series.enumerated() {
            let points = line.values.enumerated().map { "\(x($0.offset)),\(y($0.element))" }.joined(separator: " ")
            parts.append("<polyline class=\"series\" data-series=\"\(line.name)\" data-values=\"\(line.values.map(String.init).joined(separator: ","))\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2\" points=\"\(points)\"/>")
            for (offset, value) in line.values.enumerated() {
                parts.append("<circle cx=\"\(x(offset))\" cy=\"\(y(value))\" r=\"2.5\" fill=\"\(line.color)\"/>")
            }
            let legendY = Self.top + 14 + index * 18
            parts.append("<rect x=\"\(Self.width - Self.right + 12)\" y=\"\(legendY - 9)\" width=\"10\" height=\"10\" fill=\"\(line.color)\"/>")
            parts.append("<text x=\"\(Self.width - Self.right + 26)\" y=\"\(legendY)\" font-size=\"12\">\(line.name)</text>")
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }
}
