/// Every route of the server, each with a template: a body (or query) that the route accepts,
/// from the spec's examples, with real ids picked from the fuzz run's pools. The fuzzer sends
/// templates as they are and mutated, so requests reach past the first checks.
struct FuzzRoute: Sendable {
    enum Kind: Sendable {
        /// A POST API whose body is the template.
        case post
        /// A GET whose query parameters are the template's members.
        case get
    }

    let path: String
    let kind: Kind
    /// Whether the route takes the app's access_token.
    let needsToken: Bool
    let template: FuzzValue

    static func post(_ path: String, token: Bool = true, _ members: [(String, FuzzValue)]) -> FuzzRoute {
        FuzzRoute(path: path, kind: .post, needsToken: token, template: .object(members))
    }

    static func get(_ path: String, token: Bool = true, _ members: [(String, FuzzValue)]) -> FuzzRoute {
        FuzzRoute(path: path, kind: .get, needsToken: token, template: .object(members))
    }
}

enum FuzzRoutes {
    typealias V = FuzzValue

    static let cardBase: V = .object([
        ("logo_url", .string("http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0")), ("brand_name", .string("海底捞")),
        ("code_type", .string("CODE_TYPE_TEXT")), ("title", .string("海底捞会员卡")), ("color", .string("Color010")),
        ("notice", .string("使用时向服务员出示此券")), ("service_phone", .string("020-88888888")),
        ("description", .string("不可与其他优惠同享")),
        ("date_info", .object([("type", .string("DATE_TYPE_FIX_TERM")), ("fixed_term", .int(30)), ("fixed_begin_term", .int(0))])),
        ("sku", .object([("quantity", .int(50_000_000))])), ("get_limit", .int(3)), ("use_custom_code", .false),
        ("can_give_friend", .true),
        ("pay_info", .object([("swipe_card", .object([("is_swipe_card", .true)]))])),
    ])

    static let memberCard: V = .object([
        ("card_type", .string("MEMBER_CARD")),
        ("member_card", .object([
            ("background_pic_url", .string("https://mmbiz.qlogo.cn/mmbiz/")), ("base_info", cardBase),
            ("supply_bonus", .true), ("supply_balance", .true), ("prerogative", .string("会员卡特权说明")), ("auto_activate", .false),
            ("discount", .int(10)),
            ("custom_field1", .object([("name_type", .string("FIELD_NAME_TYPE_LEVEL")), ("url", .string("http://www.qq.com"))])),
            ("bonus_rule", .object([
                ("cost_money_unit", .int(100)), ("increase_bonus", .int(1)), ("max_increase_bonus", .int(200)),
                ("init_increase_bonus", .int(10)), ("cost_bonus_unit", .int(5)), ("reduce_money", .int(100)),
                ("least_money_to_use_bonus", .int(1000)), ("max_reduce_bonus", .int(50)),
            ])),
            ("activate_msg_operation", .object([("url_cell", .object([
                ("card_id_list", .array([.pick(.couponCardID)])), ("end_time", .int(1_492_724_561)), ("text", .string("coupon")),
            ]))])),
        ])),
    ])

    static let coupon: V = .object([
        ("card_type", .string("CASH")),
        ("cash", .object([("base_info", cardBase), ("reduce_cost", .int(500)), ("least_cost", .int(1000))])),
    ])

    static let all: [FuzzRoute] = [
        .get("/cgi-bin/token", token: false, [("grant_type", .string("client_credential")), ("appid", .pick(.appid)), ("secret", .pick(.secret))]),
        .post("/cgi-bin/stable_token", token: false, [
            ("grant_type", .string("client_credential")), ("appid", .pick(.appid)), ("secret", .pick(.secret)), ("force_refresh", .false),
        ]),
        .get("/healthz", token: false, []),
        .get("/metrics", token: false, []),
        .post("/card/create", [("card", memberCard)]),
        .post("/card/create", [("card", coupon)]),
        .post("/card/get", [("card_id", .pick(.cardID))]),
        .post("/card/batchget", [("offset", .int(0)), ("count", .int(10)), ("status_list", .array([.string("CARD_STATUS_VERIFY_OK")]))]),
        .post("/card/update", [("card_id", .pick(.memberCardID)), ("member_card", .object([
            ("base_info", .object([("title", .string("新标题")), ("get_limit", .int(5)),
                                   ("date_info", .object([("type", .string("DATE_TYPE_FIX_TIME_RANGE")), ("end_timestamp", .int(2_000_000_000))]))])),
            ("supply_balance", .true), ("discount", .int(20)),
        ]))]),
        .post("/card/delete", [("card_id", .pick(.couponCardID))]),
        .post("/card/modifystock", [("card_id", .pick(.cardID)), ("increase_stock_value", .int(10)), ("reduce_stock_value", .int(3))]),
        .post("/card/qrcode/create", [
            ("action_name", .string("QR_CARD")), ("expire_seconds", .int(1800)),
            ("action_info", .object([("card", .object([
                ("card_id", .pick(.cardID)), ("code", .pick(.code)), ("openid", .pick(.openid)), ("is_unique_code", .false),
                ("outer_id", .int(1)), ("outer_str", .string("12b")),
            ]))])),
        ]),
        .post("/card/testwhitelist/set", [("openid", .array([.pick(.openid)])), ("username", .array([.string("galen")]))]),
        .post("/card/membercard/activate", [
            ("init_bonus", .int(100)), ("init_bonus_record", .string("旧积分同步")), ("init_balance", .int(200)),
            ("membership_number", .string("AAA00000001")), ("code", .pick(.memberCode)), ("card_id", .pick(.memberCardID)),
            ("background_pic_url", .string("https://mmbiz.qlogo.cn/mmbiz/0")), ("init_custom_field_value1", .string("xxxxx")),
            ("activate_begin_time", .int(1_397_577_600)), ("activate_end_time", .int(2_422_724_261)),
        ]),
        .post("/card/membercard/activateuserform/set", [
            ("card_id", .pick(.memberCardID)),
            ("service_statement", .object([("name", .string("会员守则")), ("url", .string("https://www.qq.com"))])),
            ("required_form", .object([
                ("can_modify", .false), ("common_field_id_list", .array([.string("USER_FORM_INFO_FLAG_MOBILE")])),
                ("rich_field_list", .array([.object([("type", .string("FORM_FIELD_RADIO")), ("name", .string("兴趣")),
                                                     ("values", .array([.string("钢琴"), .string("舞蹈")]))])])),
            ])),
            ("optional_form", .object([("can_modify", .true), ("custom_field_list", .array([.string("喜欢的电影")]))])),
        ]),
        .post("/card/membercard/activatetempinfo/get", [("activate_ticket", .pick(.activateTicket))]),
        .post("/card/membercard/userinfo/get", [("card_id", .pick(.memberCardID)), ("code", .pick(.memberCode))]),
        .post("/card/membercard/updateuser", [
            ("code", .pick(.memberCode)), ("card_id", .pick(.memberCardID)), ("background_pic_url", .string("https://mmbiz.qlogo.cn/mmbiz/0")),
            ("record_bonus", .string("消费30元，获得3积分")), ("bonus", .int(3000)), ("add_bonus", .int(30)),
            ("balance", .int(3000)), ("add_balance", .int(-30)), ("record_balance", .string("购买焦糖玛琪朵一杯，扣除金额30元。")),
            ("custom_field_value1", .string("xxxxx")),
            ("notify_optional", .object([("is_notify_bonus", .true), ("is_notify_balance", .true), ("is_notify_custom_field1", .true)])),
        ]),
        .post("/card/code/get", [("card_id", .pick(.cardID)), ("code", .pick(.code)), ("check_consume", .true)]),
        .post("/card/code/consume", [("card_id", .pick(.couponCardID)), ("code", .pick(.code))]),
        .post("/card/code/decrypt", [("encrypt_code", .pick(.encryptCode))]),
        .post("/card/code/update", [("card_id", .pick(.cardID)), ("code", .pick(.code)), ("new_code", .string("3495739475"))]),
        .post("/card/code/unavailable", [("card_id", .pick(.cardID)), ("code", .pick(.code)), ("reason", .string("违规"))]),
        .post("/card/user/getcardlist", [("openid", .pick(.openid)), ("card_id", .pick(.cardID))]),
        .post("/card/paygiftcard/add", [("rule_info", .object([
            ("type", .string("RULE_TYPE_PAY_MEMBER_CARD")),
            ("base_info", .object([("mchid_list", .array([.pick(.mchid), .string("1900000110")])),
                                   ("begin_time", .int(1_480_317_217)), ("end_time", .int(4_000_000_000))])),
            ("member_rule", .object([("card_id", .pick(.memberCardID)), ("least_cost", .int(0)), ("max_cost", .int(20_000)),
                                     ("jump_url", .string("https://www.qq.com")), ("app_brand_id", .string("gh_abc")),
                                     ("app_brand_pass", .string("pages/index"))])),
        ]))]),
        .post("/card/paygiftcard/delete", [("rule_id", .pick(.ruleID))]),
        .post("/card/paygiftcard/getbyid", [("rule_id", .pick(.ruleID))]),
        .post("/card/paygiftcard/batchget", [("type", .string("RULE_TYPE_PAY_MEMBER_CARD")), ("effective", .true), ("offset", .int(0)), ("count", .int(10))]),
        .post("/datacube/getcardbizuininfo", [("begin_date", .string("2026-09-01")), ("end_date", .string("2026-09-19")), ("cond_source", .int(1))]),
        .post("/datacube/getcardcardinfo", [("begin_date", .string("2026-09-01")), ("end_date", .string("2026-09-19")), ("cond_source", .int(1)),
                                            ("card_id", .pick(.couponCardID))]),
        .post("/datacube/getcardmembercardinfo", [("begin_date", .string("2026-08-20")), ("end_date", .string("2026-09-19")), ("cond_source", .int(0))]),
        .post("/datacube/getcardmembercarddetail", [("begin_date", .string("2026-09-10")), ("end_date", .string("2026-09-19")),
                                                    ("card_id", .pick(.memberCardID))]),
        .post("/sandbox/card/claim", [("card_id", .pick(.cardID)), ("openid", .pick(.openid)), ("code", .string("custom001")), ("outer_str", .string("x"))]),
        .post("/sandbox/card/claim", [("ticket", .pick(.ticket)), ("openid", .pick(.openid))]),
        .post("/sandbox/card/gift", [("card_id", .pick(.cardID)), ("code", .pick(.code)), ("openid", .pick(.openid)),
                                     ("to_openid", .pick(.openid)), ("accept", .false)]),
        .post("/sandbox/card/delete", [("card_id", .pick(.cardID)), ("code", .pick(.code)), ("openid", .pick(.openid))]),
        .post("/sandbox/user", [("openid", .pick(.openid)), ("nickname", .string("小明")), ("sex", .string("MALE"))]),
        .post("/sandbox/membercard/submit_form", [
            ("openid", .pick(.openid)), ("card_id", .pick(.memberCardID)), ("code", .pick(.memberCode)),
            ("common_field_list", .array([.object([("name", .string("USER_FORM_INFO_FLAG_MOBILE")), ("value", .string("13800000000"))])])),
            ("custom_field_list", .array([.object([("name", .string("兴趣")), ("value_list", .array([.string("钢琴")]))])])),
        ]),
        .get("/sandbox/user/messages", [("openid", .pick(.openid)), ("offset", .int(0)), ("count", .int(10))]),
        .post("/sandbox/merchant", [("mchid", .pick(.mchid)), ("entity", .string("海底捞"))]),
        .post("/sandbox/pay", [("mchid", .pick(.mchid)), ("openid", .pick(.openid)), ("total_fee", .int(10_000)),
                               ("card_id", .pick(.memberCardID)), ("code", .pick(.memberCode)), ("use_bonus", .int(5))]),
        .get("/sandbox/payments", [("openid", .pick(.openid)), ("offset", .int(0)), ("count", .int(10))]),
        .post("/sandbox/clock", [("advance_seconds", .int(60))]),
        .post("/sandbox/card/review", [("card_id", .pick(.cardID)), ("result", .string("pass"))]),
        .post("/sandbox/app", [("pay_enabled", .true), ("entity", .string("海底捞"))]),
        .post("/sandbox/reset", []),
        // Nothing listens on port 1: the URL check fails at once (and the token is too short, so
        // most cases stop before the network).
        .post("/sandbox/app/server", [("url", .string("http://127.0.0.1:1/wechat")), ("token", .string("t1")),
                                      ("mode", .string("plain"))]),
        .get("/sandbox/app", []),
        .get("/sandbox/events", [("event", .string("user_get_card")), ("openid", .pick(.openid)), ("limit", .int(10))]),
        .post("/sandbox/events/redeliver", [("id", .string("nope"))]),
        // A path nothing calls: a fault the fuzzer adds never answers its other requests.
        .post("/sandbox/faults", [("path", .string("/fuzz/never")), ("errcode", .int(45009)), ("count", .int(1))]),
        .get("/sandbox/faults", []),
        .post("/sandbox/faults/delete", [("all", .true)]),
        .get("/sandbox/requests", [("path", .string("/card/*")), ("errcode", .int(0)), ("limit", .int(10))]),
        .post("/sandbox/card/view", [("card_id", .pick(.cardID)), ("code", .pick(.code)), ("openid", .pick(.openid)),
                                     ("outer_str", .string("qr"))]),
        .post("/sandbox/card/enter_session", [("card_id", .pick(.cardID)), ("code", .pick(.code)), ("openid", .pick(.openid))]),
        // The component API: without the component token the fuzzer has none, so most cases
        // stop at 41021 / 61014, which is itself what must hold.
        .post("/cgi-bin/component/api_component_token", token: false, [
            ("component_appid", .string(testComponent.id)), ("component_appsecret", .string(testComponent.secret)),
            ("component_verify_ticket", .string("ticket@@@nope")),
        ]),
        .post("/cgi-bin/component/api_create_preauthcode", token: false, [("component_appid", .string(testComponent.id))]),
        .post("/cgi-bin/component/api_query_auth", token: false, [("component_appid", .string(testComponent.id)),
                                                                  ("authorization_code", .string("queryauthcode@@@nope"))]),
        .post("/cgi-bin/component/api_authorizer_token", token: false, [
            ("component_appid", .string(testComponent.id)), ("authorizer_appid", .pick(.appid)),
            ("authorizer_refresh_token", .string("refreshtoken@@@nope")),
        ]),
        .post("/cgi-bin/component/api_get_authorizer_info", token: false, [("component_appid", .string(testComponent.id)),
                                                                           ("authorizer_appid", .pick(.appid))]),
        // No URLs: a component with an event URL would push tickets in the background, and the
        // fuzzer checks that refused requests change no row.
        .post("/sandbox/component/server", [("component_appid", .string(testComponent.id)), ("token", .string("componenttoken1")),
                                            ("encoding_aes_key", .string("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"))]),
        .post("/sandbox/component/verify_ticket", [("component_appid", .string(testComponent.id))]),
        .post("/sandbox/component/authorize", [("component_appid", .string(testComponent.id)), ("pre_auth_code", .string("preauthcode@@@nope")),
                                               ("authorizer_appid", .pick(.appid)), ("func_scope", .array([.int(1), .int(8)]))]),
        .post("/sandbox/component/unauthorize", [("component_appid", .string(testComponent.id))]),
        .post("/card/submerchant/submit", [("info", .object([
            ("brand_name", .string("海底捞")), ("app_id", .string("wx1234567890abcdef")),
            ("logo_url", .string("http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0")), ("protocol", .string("Eb4V2J2CpT3qr4ayeY8YTfvuEH2mKs1X")),
            ("end_time", .int(4_000_000_000)), ("primary_category_id", .int(1)), ("secondary_category_id", .int(101)),
            ("agreement_media_id", .string("media1")), ("operator_media_id", .string("media2")),
        ]))]),
        .post("/card/submerchant/update", [("info", .object([("merchant_id", .int(123_456_789)), ("brand_name", .string("海底捞火锅"))]))]),
        .post("/card/submerchant/get", [("merchant_id", .int(123_456_789))]),
        .post("/card/submerchant/batchget", [("begin_id", .string("0")), ("limit", .int(10)), ("status", .string("CHECKING"))]),
        .get("/card/getapplyprotocol", []),
        .post("/sandbox/submerchant/review", [("merchant_id", .int(123_456_789)), ("result", .string("pass"))]),
        .post("/card/no_such_api", []),
    ]
}
