import { escapeXml } from '../callcenter.ts';

/**
 * The adapter page's HTML. Everything dynamic travels in data attributes (escaped) and is read by the
 * script, so the page needs no inline script and runs under a strict Content-Security-Policy.
 */

export interface SoftphonePageOptions {
  /** Open CTI library URL on the framing org's domain, or null when the page is not framed by Salesforce. */
  openCtiSrc: string | null;
  /** Why Open CTI was not loaded, when a bad origin was given. */
  originProblem: string | null;
}

export function renderSoftphonePage(options: SoftphonePageOptions): string {
  const attr = (value: string | null) => escapeXml(value ?? '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ctibridge softphone</title>
<link rel="stylesheet" href="/cti/softphone.css">
<script src="/cti/softphone.js" defer></script>
</head>
<body data-opencti-src="${attr(options.openCtiSrc)}" data-origin-problem="${attr(options.originProblem)}">
<header>
  <strong>ctibridge</strong>
  <span id="agent-name" class="muted"></span>
  <button id="sign-out" type="button" class="link" hidden>Sign out</button>
</header>
<p id="opencti-status" class="status" role="status">Loading…</p>
<p id="feed-status" class="status muted" role="status"></p>

<form id="sign-in" hidden>
  <h2>Sign in</h2>
  <label>Agent id, extension or email <input name="login" autocomplete="username" required></label>
  <label>Agent token <input name="token" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
  <p id="sign-in-error" class="error" role="alert"></p>
</form>

<main id="desk" hidden>
  <section id="call" class="card" hidden>
    <div class="row"><span id="call-direction" class="badge"></span><span id="call-phase" class="badge muted"></span><span id="call-timer" class="timer"></span></div>
    <div id="call-caller" class="caller"></div>
    <div id="call-queue" class="muted"></div>
    <div id="call-record-line">Record: <button id="call-record" type="button" class="link"></button><span id="call-record-none" class="muted"></span></div>
    <ul id="call-matches" class="matches" hidden></ul>
    <form id="wrap-up">
      <label>Note <textarea name="note" rows="3" maxlength="20000"></textarea></label>
      <label>Disposition <input name="disposition" list="dispositions" maxlength="255"></label>
      <datalist id="dispositions"><option value="Resolved"><option value="Callback requested"><option value="Escalated"><option value="No answer"><option value="Wrong number"></datalist>
      <button type="submit">Save to Salesforce</button>
      <p id="wrap-up-status" class="status" role="status"></p>
    </form>
  </section>
  <p id="dial-status" class="status" role="status"></p>
  <section>
    <h2>Recent</h2>
    <ul id="recent" class="recent"></ul>
  </section>
</main>
</body>
</html>
`;
}
