/// The console's stylesheet and its one script, served by wxcards itself: no CDN, so the
/// console works offline.
enum ConsoleAssets {
    static let css = #"""
        :root { --ink: #1f2328; --muted: #656d76; --line: #d0d7de; --accent: #07c160; --bg: #f6f8fa; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif; color: var(--ink); background: var(--bg); }
        header.top { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; background: #fff; border-bottom: 1px solid var(--line); }
        header.top nav { display: flex; flex-wrap: wrap; gap: .75rem; flex: 1; }
        header.top a { color: var(--ink); text-decoration: none; }
        header.top nav a:hover { text-decoration: underline; }
        .brand { font-weight: 700; color: var(--accent) !important; }
        .who { color: var(--muted); font-family: ui-monospace, monospace; font-size: .85rem; }
        main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.5rem; margin: .5rem 0 1rem; word-break: break-all; }
        h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
        .mono, code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: .85rem; }
        pre { background: #fff; border: 1px solid var(--line); padding: .75rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
        .notice { background: #dafbe1; border: 1px solid #aceebb; padding: .5rem .75rem; }
        .problem { background: #ffebe9; border: 1px solid #ffcecb; padding: .5rem .75rem; }
        table.grid { width: 100%; border-collapse: collapse; background: #fff; display: block; overflow-x: auto; }
        table.grid th, table.grid td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
        table.grid th { background: #f0f3f6; font-weight: 600; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); }
        dl.facts dd { margin: 0; word-break: break-all; }
        form.row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin: .5rem 0; }
        form.stack { display: grid; gap: .6rem; max-width: 32rem; }
        form.stack label { display: grid; gap: .2rem; }
        form.inline { display: inline; }
        input, select, textarea, button { font: inherit; padding: .3rem .5rem; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
        button, .button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; text-decoration: none; padding: .35rem .8rem; border-radius: 6px; display: inline-block; }
        header.top button { background: #fff; color: var(--ink); border-color: var(--line); }
        .two { display: grid; grid-template-columns: minmax(16rem, 22rem) 1fr; gap: 1.5rem; align-items: start; }
        @media (max-width: 40rem) {
          .two { grid-template-columns: 1fr; } main { padding: .6rem; }
          header.top nav { order: 3; flex-basis: 100%; }
          header.top .who { flex: 1; text-align: right; }
        }
        .face { color: #fff; border-radius: 12px; padding: 1rem; min-height: 11rem; display: flex; flex-direction: column; gap: .5rem; box-shadow: 0 2px 8px rgba(0,0,0,.15); }
        .face-head { display: flex; align-items: center; gap: .5rem; }
        .face .logo { width: 2.5rem; height: 2.5rem; border-radius: 50%; background: #fff; object-fit: cover; }
        .face-title { font-size: 1.25rem; font-weight: 600; flex: 1; }
        .face-code { letter-spacing: .1em; }
        .face-fields { display: flex; gap: 1rem; border-top: 1px solid rgba(255,255,255,.4); padding-top: .5rem; }
        .face-fields div { display: grid; text-align: center; flex: 1; }
        .face-fields .value { font-size: 1.1rem; font-weight: 600; }
        .face-fields .label { font-size: .75rem; opacity: .85; }
        ul.cells { list-style: none; padding: 0; margin: .5rem 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
        ul.cells li { display: flex; justify-content: space-between; padding: .5rem .75rem; border-top: 1px solid var(--line); }
        ul.cells li:first-child { border-top: 0; }
        .tips { color: var(--muted); }
        .swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 3px; margin-right: .4rem; vertical-align: middle; }
        ul.list { padding-left: 1.2rem; }
        img.qr { display: block; margin: .4rem 0; image-rendering: pixelated; background: #fff; }
        .phone { max-width: 26rem; margin: 0 auto; background: #ededed; border: 1px solid var(--line); border-radius: 18px; padding: .75rem; }
        .phone-bar { text-align: center; font-weight: 600; padding-bottom: .5rem; border-bottom: 1px solid var(--line); word-break: break-all; }
        .wallet-card { background: #fff; border-radius: 12px; padding: .6rem; margin: .6rem 0; }
        .wallet-card form { margin: .4rem 0; }
        ul.inbox { list-style: none; padding: 0; }
        ul.inbox li { background: #fff; border-radius: 8px; padding: .5rem .75rem; margin: .4rem 0; word-break: break-word; }
        .time { color: var(--muted); font-size: .8rem; }
        details.push { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .4rem .75rem; margin: .4rem 0; }
        .chart { width: 100%; max-width: 48rem; height: auto; background: #fff; border: 1px solid var(--line); }
        section.signin { max-width: 24rem; margin: 3rem auto; }
        section.signin form { display: grid; gap: .75rem; }
        section.signin label { display: grid; gap: .2rem; }
        """#

    /// Keeps the sandbox clock on the overview ticking, and hides logos that cannot load (an
    /// offline machine cannot reach the merchant's image host). Everything works without it.
    static let js = #"""
        (function () {
          document.querySelectorAll("img.logo").forEach(function (img) {
            function hide() { img.style.visibility = "hidden"; }
            if (img.complete && img.naturalWidth === 0) hide(); else img.addEventListener("error", hide);
          });
          var clock = document.getElementById("clock");
          if (!clock) return;
          var start = Number(clock.getAttribute("data-now")), opened = Date.now();
          function pad(n) { return (n < 10 ? "0" : "") + n; }
          setInterval(function () {
            var d = new Date((start + 8 * 3600) * 1000 + (Date.now() - opened));
            clock.textContent = d.getUTCFullYear() + "-" + pad(d.getUTCMonth() + 1) + "-" + pad(d.getUTCDate()) + " " +
              pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
          }, 1000);
        })();
        """#
}
