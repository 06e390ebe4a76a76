/// The phone view: one user's WeChat, and what they can do in it.
extension ConsoleTemplates {
    static let phone = #"""
        {{<layout}}{{$content}}
        <div class="phone" id="phone">
          <div class="phone-bar">{{nickname}} <span class="mono">{{openid}}</span></div>
          <h2>Card wallet</h2>
          {{#wallet}}
          <div class="wallet-card" id="wallet-{{code}}">
            {{#face}}{{>cardFace}}{{/face}}
            <p class="status">{{status}}{{#activated}} · member{{/activated}}</p>
            {{#form}}
            <form method="post" action="/console/phone/{{openidPath}}/submit" class="stack activation">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="card_id" value="{{cardID}}"><input type="hidden" name="code" value="{{code}}">
              {{#fields}}<label>{{label}}{{#required}} *{{/required}}
                {{#hasOptions}}<select name="{{kind}}:{{name}}" class="form-field">{{#options}}<option>{{value}}</option>{{/options}}</select>{{/hasOptions}}
                {{^hasOptions}}<input name="{{kind}}:{{name}}" class="form-field"{{#required}} required{{/required}}>{{/hasOptions}}</label>{{/fields}}
              <button type="submit" class="submit-form">Submit the activation form</button>
            </form>
            {{/form}}
            <form method="post" action="/console/phone/{{openidPath}}/pay" class="row">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="card_id" value="{{cardID}}"><input type="hidden" name="code" value="{{code}}">
              <label>merchant id <input name="mchid" size="10" required></label>
              <label>fen <input name="total_fee" type="number" min="1" size="6" required></label>
              <label>points to use <input name="use_bonus" type="number" min="0" value="0" size="4"></label>
              <button type="submit" class="pay">Pay with this card</button>
            </form>
            <form method="post" action="/console/phone/{{openidPath}}/gift" class="row">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="card_id" value="{{cardID}}"><input type="hidden" name="code" value="{{code}}">
              <label>friend's openid <input name="to_openid" required></label>
              <button type="submit" class="gift">Give to a friend</button>
            </form>
            <form method="post" action="/console/phone/{{openidPath}}/delete" class="inline">
              <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="card_id" value="{{cardID}}"><input type="hidden" name="code" value="{{code}}">
              <button type="submit" class="delete">Delete from wallet</button>
            </form>
          </div>
          {{/wallet}}
          {{^wallet}}<p>The wallet is empty.</p>{{/wallet}}
          <h2>Claim a card</h2>
          <form method="post" action="/console/phone/{{openidPath}}/claim" class="row">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label>card <select name="card_id" id="claim-card"><option value="">(by QR ticket)</option>{{#claimable}}<option value="{{cardID}}">{{title}}</option>{{/claimable}}</select></label>
            <label>or QR ticket <input name="ticket" id="claim-ticket"></label>
            <label>code (cards with custom codes) <input name="code" id="claim-code"></label>
            <button type="submit" id="claim">Claim</button>
          </form>
          <h2>Pay a merchant</h2>
          <form method="post" action="/console/phone/{{openidPath}}/pay" class="row">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <label>merchant id <input name="mchid" id="pay-mchid" size="10" required></label>
            <label>fen <input name="total_fee" id="pay-fee" type="number" min="1" size="6" required></label>
            <button type="submit" id="pay">Pay (no card)</button>
          </form>
          <h2>Messages</h2>
          <ul class="inbox" id="inbox">
          {{#messages}}<li><span class="time">{{time}}</span> {{text}}{{#link}} · <span class="mono">{{link}}</span>{{/link}}</li>{{/messages}}
          {{^messages}}<li>No message.</li>{{/messages}}
          </ul>
        </div>
        {{/content}}{{/layout}}
        """#
}
