/// The cards list, a card's page (its face as WeChat shows it), and the create form.
extension ConsoleTemplates {
    static let cards = #"""
        {{<layout}}{{$content}}
        <h1>Cards</h1>
        <p><a class="button" href="/console/cards/new" id="new-card">Create a card</a></p>
        <table class="grid">
          <thead><tr><th>title</th><th>type</th><th>status</th><th>stock</th><th>card_id</th></tr></thead>
          <tbody>
          {{#cards}}
            <tr><td><span class="swatch" style="background:{{colorHex}}"></span><a href="/console/cards/{{cardID}}">{{title}}</a></td>
            <td>{{type}}</td><td>{{status}}</td><td>{{quantity}} / {{total}}</td><td class="mono">{{cardID}}</td></tr>
          {{/cards}}
          {{^cards}}<tr><td colspan="5">No card yet.</td></tr>{{/cards}}
          </tbody>
        </table>
        {{/content}}{{/layout}}
        """#

    /// The card face: colour, logo, brand, title; for a member card its bonus, balance and
    /// custom fields, and its cells.
    static let cardFace = #"""
        <div class="face" style="background:{{colorHex}}">
          <div class="face-head">{{#logoURL}}<img class="logo" src="{{logoURL}}" alt="">{{/logoURL}}<span class="brand-name">{{brandName}}</span></div>
          <div class="face-title">{{title}}</div>
          {{#code}}<div class="face-code mono">{{code}}</div>{{/code}}
          {{#hasFields}}<div class="face-fields">{{#fields}}<div><span class="value">{{value}}</span><span class="label">{{label}}</span></div>{{/fields}}</div>{{/hasFields}}
        </div>
        {{#hasCells}}<ul class="cells">{{#cells}}<li><span>{{name}}</span><span class="tips">{{tips}}</span></li>{{/cells}}</ul>{{/hasCells}}
        """#

    static let card = #"""
        {{<layout}}{{$content}}
        {{#card}}
        <h1>{{title}}</h1>
        <div class="two">
          <div>{{#face}}{{>cardFace}}{{/face}}</div>
          <dl class="facts">
            <dt>card_id</dt><dd class="mono" id="card-id">{{cardID}}</dd>
            <dt>type</dt><dd>{{type}}</dd>
            <dt>status</dt><dd id="card-status">{{status}}</dd>
            <dt>stock</dt><dd>{{quantity}} left of {{total}}</dd>
            <dt>made</dt><dd>{{source}}</dd>
          </dl>
        </div>
        {{#reviewable}}
        <form method="post" action="/console/cards/{{cardID}}/review" class="row">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <button type="submit" name="pass" value="true" id="review-pass">Pass review</button>
          <input name="reason" placeholder="reason for rejecting">
          <button type="submit" name="pass" value="false" id="review-reject">Reject</button>
        </form>
        {{/reviewable}}
        <h2>Claims, activations and consumptions per day</h2>
        {{#chart}}{{{svg}}}{{/chart}}
        {{^chart}}<p>No day has ended since the card was made: statistics count closed days (China time). Advance the clock to close one.</p>{{/chart}}
        <h2>QR codes</h2>
        <ul class="list">{{#qrCodes}}<li class="mono">{{#image}}<img class="qr" src="{{image}}" alt="QR code of ticket {{ticket}}" width="148" height="148">{{/image}}{{ticket}} · {{actionName}}{{#expires}} · expires {{expires}}{{/expires}}{{^image}} (expired){{/image}}</li>{{/qrCodes}}
        {{^qrCodes}}<li>None yet (<code>/card/qrcode/create</code>).</li>{{/qrCodes}}</ul>
        <h2>Pay-gift rules</h2>
        <ul class="list">{{#rules}}<li>rule {{ruleID}}: from {{leastCost}} fen, {{mchids}}, {{begin}} – {{end}} ({{status}})</li>{{/rules}}
        {{^rules}}<li>None.</li>{{/rules}}</ul>
        <h2>Definition</h2>
        <pre class="json" id="card-json">{{json}}</pre>
        {{/card}}
        {{/content}}{{/layout}}
        """#

    static let newCard = #"""
        {{<layout}}{{$content}}
        <h1>Create a member card</h1>
        <p>The card goes through the same rules as <code>/card/create</code>; the statistics count it as made in the console (<code>cond_source</code> 0).</p>
        <form method="post" action="/console/cards" class="stack" id="create-card">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>title <input name="title" id="title" maxlength="27" required value="{{form.title}}"></label>
          <label>brand name <input name="brand_name" id="brand_name" maxlength="36" required value="{{form.brandName}}"></label>
          <label>logo URL <input name="logo_url" id="logo_url" required value="{{form.logoURL}}"></label>
          <label>colour <select name="color" id="color">{{#colors}}<option value="{{name}}"{{#selected}} selected{{/selected}}>{{name}} {{hex}}</option>{{/colors}}</select></label>
          <label>notice <input name="notice" id="notice-field" maxlength="48" required value="{{form.notice}}"></label>
          <label>description <textarea name="description" id="description" required>{{form.description}}</textarea></label>
          <label>privileges <textarea name="prerogative" id="prerogative" required>{{form.prerogative}}</textarea></label>
          <label>stock <input name="quantity" id="quantity" type="number" min="0" required value="{{form.quantity}}"></label>
          <label><input type="checkbox" name="supply_bonus" value="true" id="supply_bonus"{{#form.supplyBonus}} checked{{/form.supplyBonus}}> points</label>
          <label><input type="checkbox" name="supply_balance" value="true" id="supply_balance"{{#form.supplyBalance}} checked{{/form.supplyBalance}}> balance</label>
          <label><input type="checkbox" name="auto_activate" value="true" id="auto_activate"{{#form.autoActivate}} checked{{/form.autoActivate}}> activated on claim</label>
          <button type="submit" id="create">Create</button>
        </form>
        {{/content}}{{/layout}}
        """#
}
