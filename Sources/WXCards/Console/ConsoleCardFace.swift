/// A card as WeChat draws it: its colour, logo, brand and title; for a member card the points,
/// balance and custom fields the member sees, and the cells under it.
struct ConsoleCardFace: Sendable {
    struct Field: Sendable { let label: String; let value: String }
    struct Cell: Sendable { let name: String; let tips: String }

    let colorHex: String
    let logoURL: String?
    let brandName: String
    let title: String
    let code: String?
    let fields: [Field]
    let cells: [Cell]
    // Stored, not computed: Mustache reads values through Mirror, which sees stored ones only.
    let hasFields: Bool
    let hasCells: Bool

    /// WeChat's colour table (`Color010` … `Color102`).
    static let colors: [(name: String, hex: String)] = [
        ("Color010", "#63b359"), ("Color020", "#2c9f67"), ("Color030", "#509fc9"), ("Color040", "#5885cf"),
        ("Color050", "#9062c0"), ("Color060", "#d09a45"), ("Color070", "#e4b138"), ("Color080", "#ee903c"),
        ("Color081", "#f08500"), ("Color082", "#a9d92d"), ("Color090", "#dd6549"), ("Color100", "#cc463d"),
        ("Color101", "#cf3e36"), ("Color102", "#5E6671"),
    ]

    static func hex(_ color: String?) -> String {
        colors.first { $0.name == color }?.hex ?? "#5E6671"
    }

    /// What `name_type` shows as when the field has no `name` of its own.
    static let fieldNames: [String: String] = [
        "FIELD_NAME_TYPE_LEVEL": "Level", "FIELD_NAME_TYPE_COUPON": "Coupons", "FIELD_NAME_TYPE_STAMP": "Stamps",
        "FIELD_NAME_TYPE_DISCOUNT": "Discount", "FIELD_NAME_TYPE_ACHIEVEMEN": "Achievements",
        "FIELD_NAME_TYPE_MILEAGE": "Mileage", "FIELD_NAME_TYPE_SET_POINTS": "Points set", "FIELD_NAME_TYPE_TIMS": "Times",
    ]

    /// The face of a definition; with a held code, that member's values.
    init(card: CardDefinition, held: UserCard? = nil) {
        let base = card.baseInfo
        colorHex = Self.hex(base.string("color"))
        logoURL = base.string("logo_url")
        brandName = base.string("brand_name") ?? ""
        title = base.string("title") ?? ""
        code = held?.code
        var fields: [Field] = []
        var cells: [Cell] = []
        if card.isMemberCard {
            if card.supplyBonus { fields.append(Field(label: "Points", value: held.map { String($0.bonus) } ?? "–")) }
            if card.supplyBalance {
                fields.append(Field(label: "Balance", value: held.map { MessageRules.yuan($0.balance, signed: false) } ?? "–"))
            }
            for index in 1...3 {
                guard let field = card.body.object("custom_field\(index)") else { continue }
                let label = field.string("name") ?? field.string("name_type").flatMap { Self.fieldNames[$0] } ?? "Field \(index)"
                let value = held.flatMap { $0.customFieldValues.count >= index ? $0.customFieldValues[index - 1] : nil } ?? "–"
                fields.append(Field(label: label, value: value))
            }
            for index in 1...3 {
                guard let cell = card.body.object("custom_cell\(index)") else { continue }
                cells.append(Cell(name: cell.string("name") ?? "", tips: cell.string("tips") ?? ""))
            }
        }
        self.fields = fields
        self.cells = cells
        hasFields = !fields.isEmpty
        hasCells = !cells.isEmpty
    }
}
