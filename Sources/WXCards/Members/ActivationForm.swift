/// The one-click activation form (One-click Activation) and what a user submits to it, as pure rules.
public enum ActivationForm {
    public static let commonFields: Set<String> = [
        "USER_FORM_INFO_FLAG_MOBILE", "USER_FORM_INFO_FLAG_SEX", "USER_FORM_INFO_FLAG_NAME", "USER_FORM_INFO_FLAG_BIRTHDAY",
        "USER_FORM_INFO_FLAG_IDCARD", "USER_FORM_INFO_FLAG_EMAIL", "USER_FORM_INFO_FLAG_LOCATION",
        "USER_FORM_INFO_FLAG_EDUCATION_BACKGRO", "USER_FORM_INFO_FLAG_EDUCATION_BACKGROUND", "USER_FORM_INFO_FLAG_INDUSTRY",
        "USER_FORM_INFO_FLAG_INCOME", "USER_FORM_INFO_FLAG_HABIT", "USER_FORM_INFO_FLAG_POST_CODE",
    ]
    public static let richFieldTypes: Set<String> = ["FORM_FIELD_RADIO", "FORM_FIELD_SELECT", "FORM_FIELD_CHECK_BOX"]
    public static let maxCustomFields = 5

    static let link: FieldType = .object(["name": .optional(.string(maxBytes: 32)), "url": .optional(.string(maxBytes: 128))])
    static let form: FieldType = .object([
        "can_modify": .optional(.bool),
        "common_field_id_list": .optional(.array(of: .enumeration(commonFields.sorted()))),
        "custom_field_list": .optional(.array(of: .string(maxBytes: 64))),
        "rich_field_list": .optional(.array(of: .object([
            "type": .required(.enumeration(richFieldTypes.sorted())),
            "name": .required(.string(maxBytes: 21)),
            "values": .optional(.array(of: .string(maxBytes: 64))),
        ]))),
    ])
    static let fields: [String: Field] = [
        "card_id": .required(.string(maxBytes: 32)),
        "service_statement": .optional(link),
        "bind_old_card": .optional(link),
        "required_form": .optional(form),
        "optional_form": .optional(form),
    ]

    /// Validates `activateuserform/set` and answers the form to store (without card_id).
    public static func validate(_ body: [String: JSONValue]) throws -> [String: JSONValue] {
        try FieldSchema.check(body, against: fields, path: "", allowUnknown: false)
        for name in ["required_form", "optional_form"] {
            guard let form = body.object(name) else { continue }
            for id in form["common_field_id_list"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !commonFields.contains(id) {
                throw WeChatError.invalidArgs.detail("\(name).common_field_id_list: unknown \(id)")
            }
            let custom = form["custom_field_list"]?.arrayValue ?? []
            let rich = form["rich_field_list"]?.arrayValue?.compactMap(\.objectValue) ?? []
            guard custom.count <= maxCustomFields, rich.count <= maxCustomFields else {
                throw WeChatError.invalidArgs.detail("\(name) holds at most \(maxCustomFields) custom and \(maxCustomFields) rich fields")
            }
            for field in rich where !richFieldTypes.contains(field.string("type") ?? "") {
                throw WeChatError.invalidArgs.detail("\(name).rich_field_list: type must be one of \(richFieldTypes.sorted().joined(separator: ", "))")
            }
        }
        var form = body
        form["card_id"] = nil
        return form
    }

    /// Checks what the user filled in against the form: every required item has a value, and
    /// nothing is sent that the form does not ask for. Answers `user_info` as userinfo/get shows it.
    public static func submission(form: [String: JSONValue], common: [[String: JSONValue]], custom: [[String: JSONValue]]) throws -> [String: JSONValue] {
        func items(_ key: String) -> [String] {
            ["required_form", "optional_form"].flatMap { form.object($0)?[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        }
        let richNames = ["required_form", "optional_form"].flatMap {
            form.object($0)?["rich_field_list"]?.arrayValue?.compactMap { $0.objectValue?.string("name") } ?? []
        }
        let allowedCommon = Set(items("common_field_id_list"))
        let allowedCustom = Set(items("custom_field_list") + richNames)
        for item in common {
            guard let name = item.string("name"), allowedCommon.contains(name) else {
                throw WeChatError.invalidArgs.detail("common_field_list: \(item.string("name") ?? "an item without name") is not on the form")
            }
        }
        for item in custom {
            guard let name = item.string("name"), allowedCustom.contains(name) else {
                throw WeChatError.invalidArgs.detail("custom_field_list: \(item.string("name") ?? "an item without name") is not on the form")
            }
        }
        let required = form.object("required_form") ?? [:]
        func filled(_ list: [[String: JSONValue]], _ name: String) -> Bool {
            list.contains { $0.string("name") == name && (!($0.string("value") ?? "").isEmpty || !($0["value_list"]?.arrayValue ?? []).isEmpty) }
        }
        for name in required["common_field_id_list"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !filled(common, name) {
            throw WeChatError.missingRequiredFields.detail("\(name) is required")
        }
        let requiredCustom = (required["custom_field_list"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            + (required["rich_field_list"]?.arrayValue?.compactMap { $0.objectValue?.string("name") } ?? [])
        for name in requiredCustom where !filled(custom, name) {
            throw WeChatError.missingRequiredFields.detail("\(name) is required")
        }
        return [
            "common_field_list": .array(common.map { .object(["name": $0["name"] ?? .null, "value": .string($0.string("value") ?? "")]) }),
            "custom_field_list": .array(custom.map {
                .object(["name": $0["name"] ?? .null, "value": .string($0.string("value") ?? ""),
                         "value_list": .array(($0["value_list"]?.arrayValue ?? []).filter { $0.stringValue != nil })])
            }),
        ]
    }

    static let itemFields: [String: Field] = [
        "name": .required(.string(maxBytes: 64)),
        "value": .optional(.string(maxBytes: 256)),
        "value_list": .optional(.array(of: .string(maxBytes: 256))),
    ]
}
