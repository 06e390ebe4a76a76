import SQLKit

/// `/sandbox/pay`: a WeChat Pay payment by a user at a merchant id, with what it triggers.
extension PayGift {
    /// Records the payment and, in the same transaction, pays with the member card if one is
    /// named (points spent and earned, through the member ledger, with their messages) and sends
    /// the pay-gift message if the caller's rule on that merchant id applies. Any failure leaves
    /// nothing behind: no payment, no points, no message.
    public func pay(appid: String, request: PaymentRules.Request) async throws -> Payment {
        let checked = try PaymentRules.check(request)
        let now = try await clock.now()
        let byCard = request.paysByCard ? try await memberPayment(appid: appid, request: request, openid: checked.openid,
                                                                 totalFee: checked.totalFee, useBonus: checked.useBonus, now: now) : nil
        let transactionID = PayGiftRules.makeTransactionID()
        return try await db.write { db in
            if let byCard {
                let card = byCard.held.userCard
                try await CardActivity.record(db, card: byCard.held.card, openid: card.openid, kind: .pay,
                                              fee: byCard.terms.actualFee, originalFee: checked.totalFee, now: now)
                try await Pushes.record(db, appid: appid, .userPayFromPayCell(
                    openid: card.openid, cardID: card.cardID, code: card.code, transactionID: transactionID,
                    fee: byCard.terms.actualFee, originalFee: checked.totalFee), now: now)
                var spend = Members.PointsChange(), earn = Members.PointsChange()
                spend.addBonus = -byCard.terms.bonusUsed
                spend.recordBonus = "微信支付抵扣"
                earn.addBonus = byCard.terms.bonusAdded
                earn.recordBonus = "微信支付消费"
                // Spent first: the points a payment earns can not pay for that payment.
                var moved: Int64 = 0
                for change in [spend, earn] where change.addBonus != 0 {
                    var change = change
                    change.source = "pay"
                    moved += try await self.members.applyPoints(db, held: byCard.held, change, now: now).bonusDelta
                }
                if spend.addBonus != 0 || earn.addBonus != 0 {
                    try await Pushes.record(db, appid: appid, .updateMemberCard(
                        openid: card.openid, cardID: card.cardID, code: card.code, bonus: moved, balance: 0), now: now)
                }
            }
            let gift = try await self.offerCard(db, appid: appid, mchid: checked.mchid, openid: checked.openid,
                                                totalFee: checked.totalFee, transactionID: transactionID, now: now)
            let payment = Payment(
                transaction_id: transactionID, mchid: checked.mchid, openid: checked.openid, total_fee: checked.totalFee,
                actual_fee: byCard?.terms.actualFee ?? checked.totalFee, card_id: byCard?.held.userCard.cardID,
                code: byCard?.held.userCard.code, bonus_added: byCard?.terms.bonusAdded ?? 0, bonus_used: byCard?.terms.bonusUsed ?? 0,
                gift_card_id: gift?.cardID, gift_rule_id: gift?.ruleID, time: now)
            try await PayGiftStore.insert(db, appid: appid, payment)
            return payment
        }
    }

    /// The member card paid with and what it does to the payment; checked before the
    /// transaction, and re-checked by the points UPDATE inside it.
    private func memberPayment(
        appid: String, request: PaymentRules.Request, openid: String, totalFee: Int64, useBonus: Int64, now: Int64
    ) async throws -> (held: HeldCard, terms: PaymentRules.Terms) {
        let app = try await cards.app(appid)
        guard app.payEnabled else { throw WeChatError.requireBizPayAuth.detail("the app has no WeChat Pay") }
        let held = try await members.member(appid: appid, cardID: request.card_id, code: request.code)
        guard held.userCard.openid == openid else { throw WeChatError.invalidSerialCode.detail("the code is not this user's") }
        guard held.card.baseInfo.object("pay_info")?.object("swipe_card")?.bool("is_swipe_card") == true else {
            throw WeChatError.cardFunctionNotSupported.detail("the card does not take WeChat Pay (pay_info.swipe_card.is_swipe_card)")
        }
        guard UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now).isUsable else { throw WeChatError.invalidUserCardStatus }
        guard held.userCard.activated else { throw WeChatError.invalidUserCardStatus.detail("the member card is not activated") }
        let terms = try PaymentRules.terms(totalFee: totalFee, useBonus: useBonus, memberBonus: held.userCard.bonus, card: held.card)
        return (held, terms)
    }

    /// Sends the pay-gift message when the caller's rule on the merchant id applies and the user
    /// has never held nor been offered its card; answers the rule's card and id then.
    private func offerCard(
        _ db: any SQLDatabase, appid: String, mchid: String, openid: String, totalFee: Int64, transactionID: String, now: Int64
    ) async throws -> (cardID: String, ruleID: Int64)? {
        // Cheapest refusals first: most payments come from users who were offered the card before.
        guard let rule = try await PayGiftStore.liveRule(db, appid: appid, mchid: mchid),
              PayGiftRules.gifts(rule, totalFee: totalFee, now: now),
              !(try await MemberStore.hasEverHeld(db, appid: appid, cardID: rule.cardID, openid: openid)),
              try await PayGiftStore.markOffered(db, appid: appid, cardID: rule.cardID, openid: openid, ruleID: rule.ruleID,
                                                 transactionID: transactionID, now: now),
              // A card deleted since the rule was made can not be claimed: nothing to offer, ever.
              let card = try await CardStore.card(db, appid: appid, cardID: rule.cardID), card.status != .delete
        else { return nil }
        var message = UserMessage(time: now, kind: "pay_gift", text: PayGiftRules.giftText(card: card), card_id: rule.cardID,
                                  code: nil, cell: nil)
        message.link = rule.link
        try await MemberStore.appendMessage(db, appid: appid, openid: openid, message)
        return (rule.cardID, rule.ruleID)
    }

    public func payments(appid: String, openid: String?, page: ListPage) async throws -> (payments: [Payment], hasMore: Bool) {
        try await store.payments(appid: appid, openid: try UserCardRules.checkOpenid(openid), page: page)
    }
}
