/// Members: the search, a member's page with the ledger; the push journal; payments.
extension ConsoleTemplates {
    static let members = #"""
        {{<layout}}{{$content}}
        <h1>Members</h1>
        <form method="get" action="/console/members" class="row">
          <label>code, openid or membership number <input name="q" id="member-query" value="{{query}}"></label>
          <button type="submit" id="search">Search</button>
        </form>
        <table class="grid">
          <thead><tr><th>code</th><th>openid</th><th>card</th><th>status</th><th>points</th><th>balance</th></tr></thead>
          <tbody>
          {{#members}}
            <tr><td class="mono"><a href="/console/members/{{cardID}}/{{codePath}}">{{code}}</a></td><td class="mono"><a href="/console/phone/{{openidPath}}">{{openid}}</a></td>
            <td>{{title}}</td><td>{{status}}</td><td>{{bonus}}</td><td>{{balance}}</td></tr>
          {{/members}}
          {{^members}}<tr><td colspan="6">No member matches.</td></tr>{{/members}}
          </tbody>
        </table>
        <p class="pager">{{#previous}}<a href="{{previous}}" id="previous">← first page</a>{{/previous}} {{#next}}<a href="{{next}}" id="next">next →</a>{{/next}}</p>
        {{/content}}{{/layout}}
        """#

    static let member = #"""
        {{<layout}}{{$content}}
        {{#member}}
        <h1>{{code}}</h1>
        <div class="two">
          <div>{{#face}}{{>cardFace}}{{/face}}</div>
          <dl class="facts">
            <dt>openid</dt><dd class="mono"><a href="/console/phone/{{openidPath}}">{{openid}}</a></dd>
            <dt>nickname</dt><dd>{{nickname}}</dd>
            <dt>status</dt><dd>{{status}}</dd>
            <dt>activated</dt><dd>{{activated}}</dd>
            <dt>membership number</dt><dd>{{membershipNumber}}</dd>
            <dt>points</dt><dd id="member-bonus">{{bonus}}</dd>
            <dt>balance</dt><dd id="member-balance">{{balance}}</dd>
            {{#customFields}}<dt>{{label}}</dt><dd>{{value}}</dd>{{/customFields}}
          </dl>
        </div>
        <h2>Form submitted</h2>
        {{#hasFormFields}}<dl class="facts">{{#formFields}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/formFields}}</dl>{{/hasFormFields}}
        {{^hasFormFields}}<p>Nothing submitted.</p>{{/hasFormFields}}
        <h2>Ledger</h2>
        <table class="grid" id="ledger">
          <thead><tr><th>#</th><th>time</th><th>what</th><th>change</th><th>result</th><th>record</th><th>source</th></tr></thead>
          <tbody>
          {{#ledger}}<tr><td>{{seq}}</td><td>{{time}}</td><td>{{kind}}</td><td>{{delta}}</td><td>{{result}}</td><td>{{record}}</td><td>{{source}}</td></tr>{{/ledger}}
          {{^ledger}}<tr><td colspan="7">No change yet.</td></tr>{{/ledger}}
          </tbody>
        </table>
        {{/member}}
        {{/content}}{{/layout}}
        """#

    static let pushes = #"""
        {{<layout}}{{$content}}
        <h1>Pushes</h1>
        <p>Push server: {{server}}</p>
        {{#entries}}
        <details class="push" id="push-{{id}}">
          <summary><span class="mono">{{created}}</span> <b>{{event}}</b> {{openid}} · {{state}}</summary>
          <table class="grid"><thead><tr><th>time</th><th>HTTP</th><th>ms</th><th>reply</th></tr></thead><tbody>
          {{#attempts}}<tr><td>{{time}}</td><td>{{status}}</td><td>{{latency}}</td><td class="mono">{{response}}</td></tr>{{/attempts}}
          {{^attempts}}<tr><td colspan="4">Not attempted yet.</td></tr>{{/attempts}}
          </tbody></table>
          <pre class="xml">{{xml}}</pre>
          <form method="post" action="/console/pushes/{{id}}/redeliver" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><button type="submit">Redeliver</button>
          </form>
        </details>
        {{/entries}}
        {{^entries}}<p>No push yet.</p>{{/entries}}
        {{/content}}{{/layout}}
        """#

    static let payments = #"""
        {{<layout}}{{$content}}
        <h1>Payments</h1>
        <table class="grid">
          <thead><tr><th>time</th><th>transaction</th><th>openid</th><th>mchid</th><th>total</th><th>paid</th><th>points used</th><th>points added</th><th>card</th><th>gift</th></tr></thead>
          <tbody>
          {{#payments}}<tr><td>{{time}}</td><td class="mono">{{transactionID}}</td><td class="mono">{{openid}}</td><td>{{mchid}}</td><td>{{totalFee}}</td><td>{{actualFee}}</td>
            <td>{{bonusUsed}}</td><td>{{bonusAdded}}</td><td class="mono">{{code}}</td><td class="mono">{{giftCardID}}</td></tr>{{/payments}}
          {{^payments}}<tr><td colspan="10">No payment yet.</td></tr>{{/payments}}
          </tbody>
        </table>
        <h2>Pay-gift rules</h2>
        <table class="grid">
          <thead><tr><th>rule</th><th>card</th><th>from (fen)</th><th>merchant ids</th><th>from</th><th>to</th><th>status</th></tr></thead>
          <tbody>
          {{#rules}}<tr><td>{{ruleID}}</td><td class="mono">{{cardID}}</td><td>{{leastCost}}</td><td>{{mchids}}</td><td>{{begin}}</td><td>{{end}}</td><td>{{status}}</td></tr>{{/rules}}
          {{^rules}}<tr><td colspan="7">No rule.</td></tr>{{/rules}}
          </tbody>
        </table>
        {{/content}}{{/layout}}
        """#

    static let requests = #"""
        {{<layout}}{{$content}}
        <h1>Requests</h1>
        <p>The app's recent API requests, newest first (<code>GET /sandbox/requests</code>), beside the <a href="/console/pushes">pushes</a>.
        Tokens and secret fields are never kept; bodies are cut at 4 KiB.</p>
        {{#off}}<p id="journal-off">The request journal is off (<code>--journal off</code>, or production mode).</p>{{/off}}
        <table class="grid" id="requests">
          <thead><tr><th>time</th><th>method</th><th>path</th><th>errcode</th><th>ms</th><th>fault</th><th>rid</th></tr></thead>
          <tbody>
          {{#entries}}<tr><td>{{time}}</td><td>{{method}}</td><td class="mono">{{path}}</td><td>{{errcode}}</td><td>{{latency}}</td>
            <td class="mono">{{fault}}</td><td class="mono">{{rid}}</td></tr>
            <tr><td colspan="7"><details><summary>body</summary><pre>{{body}}</pre></details></td></tr>{{/entries}}
          {{^entries}}<tr><td colspan="7">No request yet.</td></tr>{{/entries}}
          </tbody>
        </table>
        {{/content}}{{/layout}}
        """#
}
