/// The console's page shell and its sign-in page. Templates are Mustache (`{{x}}` escapes HTML;
/// the console never uses the unescaped forms on anything a caller wrote).
extension ConsoleTemplates {
    static let layout = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · wxcards console</title>
        <link rel="stylesheet" href="/console/assets/console.css">
        </head>
        <body>
        {{#chrome}}
        <header class="top">
          <a class="brand" href="/console/overview">wxcards</a>
          <nav>
            <a href="/console/overview">Overview</a>
            {{#appid}}
            <a href="/console/cards">Cards</a>
            <a href="/console/members">Members</a>
            <a href="/console/pushes">Pushes</a>
            <a href="/console/requests">Requests</a>
            <a href="/console/payments">Payments</a>
            {{/appid}}
          </nav>
          <span class="who">{{#component}}{{component}} → {{/component}}{{appid}}</span>
          <form method="post" action="/console/signout" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}">
            <button type="submit" id="signout">Sign out</button>
          </form>
        </header>
        {{/chrome}}
        <main>
        {{#notice}}<p class="notice" id="notice">{{notice}}</p>{{/notice}}
        {{#problem}}<p class="problem" id="problem">{{problem}}</p>{{/problem}}
        {{$content}}{{/content}}
        </main>
        <script src="/console/assets/console.js"></script>
        </body>
        </html>
        """#

    static let signIn = #"""
        {{<layout}}{{$content}}
        <section class="signin">
          <h1>wxcards console</h1>
          <p>Sign in with an app's appid and secret, or a third-party platform's component appid and secret.</p>
          <form method="post" action="/console/signin">
            <input type="hidden" name="signin" value="{{signInToken}}">
            <label>appid or component appid <input name="appid" id="appid" autocomplete="username" required></label>
            <label>secret <input name="secret" id="secret" type="password" autocomplete="current-password" required></label>
            <button type="submit" id="signin">Sign in</button>
          </form>
        </section>
        {{/content}}{{/layout}}
        """#

    static let notFound = #"""
        {{<layout}}{{$content}}
        <h1>{{title}}</h1>
        <p>{{message}}</p>
        {{/content}}{{/layout}}
        """#

    static let overview = #"""
        {{<layout}}{{$content}}
        {{#pickApp}}
        <h1>{{component}}</h1>
        <p>Apps that authorized this platform:</p>
        <ul class="list">
        {{#apps}}
          <li><form method="post" action="/console/app" class="inline">
            <input type="hidden" name="csrf" value="{{csrf}}"><input type="hidden" name="appid" value="{{appid}}">
            <button type="submit">{{appid}}</button></form></li>
        {{/apps}}
        {{^apps}}<li>No app has authorized it yet.</li>{{/apps}}
        </ul>
        {{/pickApp}}
        {{#app}}
        <h1>Overview</h1>
        <dl class="facts">
          <dt>appid</dt><dd id="appid">{{appid}}</dd>
          <dt>original_id</dt><dd>{{originalID}}</dd>
          <dt>entity</dt><dd>{{entity}}</dd>
          <dt>WeChat Pay</dt><dd>{{pay}}</dd>
          <dt>access_token</dt><dd>{{tokenStatus}}</dd>
          <dt>push server</dt><dd>{{pushServer}}</dd>
          <dt>review mode</dt><dd>{{reviewMode}}</dd>
          <dt>sandbox clock</dt><dd><span id="clock" data-now="{{now}}">{{nowText}}</span> (China time){{#shared}} · shared by every app of this server{{/shared}}</dd>
        </dl>
        {{#sandbox}}
        <form method="post" action="/console/clock" class="row">
          <input type="hidden" name="csrf" value="{{csrf}}">
          <label>advance the clock by <input name="seconds" id="advance-seconds" type="number" min="0" value="86400"> seconds</label>
          <button type="submit" id="advance">Advance</button>
        </form>
        {{/sandbox}}
        {{/app}}
        {{/content}}{{/layout}}
        """#
}

/// Every page's template, registered in one library (the layout is their parent).
enum ConsoleTemplates {}
