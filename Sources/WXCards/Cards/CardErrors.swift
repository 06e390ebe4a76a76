/// The card codes of Cards and Offers Error Codes, with WeChat's texts.
extension WeChatError {
    public static let invalidActionName = WeChatError(40052, "invalid action name")
    public static let invalidActionInfo = WeChatError(40053, "invalid action info, please check document")
    public static let invalidCardType = WeChatError(40071, "invalid card type")
    public static let invalidCardID = WeChatError(40073, "invalid card id")
    public static let invalidColor = WeChatError(40076, "invalid color id")
    public static let invalidCardStatus = WeChatError(40078, "invalid card status")
    public static let invalidTime = WeChatError(40079, "invalid time")
    public static let invalidDateInfo = WeChatError(
        40100,
        "invalid DateInfo, Make Sure OldDateInfoType==NewDateInfoType && NewBeginTime<=OldBeginTime && OldEndTime<= NewEndTime")
    public static let invalidCardQuantity = WeChatError(40122, "invalid card quantity")
    public static let cannotUnsupplyBonus = WeChatError(
        40135, "invalid not supply bonus, can not change card_id which supply bonus to be not supply")
    public static let missingCardID = WeChatError(41012, "missing card id")
    public static let requireBizPayAuth = WeChatError(43008, "require biz pay auth")
    public static let cardListSizeOutOfLimit = WeChatError(45039, "card_list_size out of limit")
    public static let totalSkuQuantityLimit = WeChatError(45041, "this card reach total sku quantity limit!")
}
