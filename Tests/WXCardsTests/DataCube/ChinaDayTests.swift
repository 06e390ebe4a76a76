import Testing
@testable import WXCards

@Suite struct ChinaDayTests {
    @Test func daysTurnAtMidnightChinaTime() {
        // 2015-06-15 00:00:00 in China is 2015-06-14 16:00:00 UTC.
        let midnight: Int64 = 1_434_297_600
        #expect(ChinaDay.format(ChinaDay.of(midnight)) == "2015-06-15")
        #expect(ChinaDay.format(ChinaDay.of(midnight - 1)) == "2015-06-14")
        #expect(ChinaDay.start(ChinaDay.of(midnight)) == midnight)
        #expect(ChinaDay.of(0) == 0 && ChinaDay.format(0) == "1970-01-01")
    }

    @Test func parsingIsStrictAndRoundTrips() {
        for text in ["1970-01-01", "2000-02-29", "2015-06-15", "2024-12-31", "9999-12-31", "0001-01-01"] {
            let day = ChinaDay.parse(text)
            #expect(day.map(ChinaDay.format) == text)
        }
        for text in ["2015-6-15", "2015-06-1", "2015-06-15 ", "2015-06-31", "1900-02-29", "2015-00-10", "2015-06-00", "２０１５-06-15", "2015-06-1a", "+015-06-15"] {
            #expect(ChinaDay.parse(text) == nil, "\(text)")
        }
    }

    @Test func consecutiveDaysFormatConsecutiveDates() throws {
        var day = try #require(ChinaDay.parse("1999-12-25"))
        var seen: [String] = []
        for _ in 0..<10 { seen.append(ChinaDay.format(day)); day += 1 }
        #expect(seen == ["1999-12-25", "1999-12-26", "1999-12-27", "1999-12-28", "1999-12-29", "1999-12-30", "1999-12-31",
                         "2000-01-01", "2000-01-02", "2000-01-03"])
    }
}
