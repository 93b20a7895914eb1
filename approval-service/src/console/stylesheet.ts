import { createHash } from 'node:crypto';

/**
 * The console's only stylesheet, served from `/console.css` (the CSP allows styles from the
 * console's own origin only). Colours keep at least 4.5:1 contrast against their background.
 */
export const stylesheet = `
:root {
  --ink: #1b1f24; --muted: #4a5360; --line: #cfd6de; --bg: #f5f7fa; --card: #ffffff;
  --brand: #0b4f8a; --brand-ink: #ffffff; --focus: #c2410c;
  --ok: #146c2e; --ok-bg: #e3f4e8; --bad: #a4161a; --bad-bg: #fde8e8;
  --warn: #7a4b00; --warn-bg: #fff4d6; --info-bg: #e6f0fa; --info-line: #9cbde0;
  --subtle-bg: #eef1f4; --field-line: #7b8794; --focus-on-brand: #ffd166;
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; }
body {
  margin: 0; color: var(--ink); background: var(--bg);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
a { color: var(--brand); }
a:hover { text-decoration-thickness: 2px; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; }
.skip:focus { left: .5rem; top: .5rem; z-index: 10; }
header.top { background: var(--brand); color: var(--brand-ink); }
header.top .bar {
  max-width: 72rem; margin: 0 auto; padding: .5rem 1rem;
  display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.25rem;
}
header.top .brand { font-weight: 700; font-size: 1.15rem; color: var(--brand-ink); text-decoration: none; }
header.top nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem .75rem; margin: 0; padding: 0; }
header.top nav a { color: var(--brand-ink); text-decoration: none; padding: .25rem .125rem; }
header.top nav a[aria-current="page"] { border-bottom: 3px solid var(--brand-ink); }
header.top nav a:hover { text-decoration: underline; }
header.top :focus-visible { outline-color: var(--focus-on-brand); }
header.top .who { margin-left: auto; display: flex; align-items: center; gap: .75rem; }
header.top .who form { margin: 0; }
header.top .who a { color: var(--brand-ink); }
header.top .who button { background: transparent; color: var(--brand-ink); border-color: var(--brand-ink); }
main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: .5rem 0 1rem; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.card > h2:first-child { margin-top: 0; }
.card {
  background: var(--card); border: 1px solid var(--line); border-radius: .5rem;
  padding: 1rem; margin: 0 0 1rem;
}
.card > :last-child { margin-bottom: 0; }
.list { list-style: none; margin: 0; padding: 0; }
.list > li { margin: 0 0 .75rem; }
.item-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .25rem .75rem; }
.item-head h2, .item-head h3 { margin: 0; font-size: 1.1rem; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin: .25rem 0 0; overflow-wrap: anywhere; }
.meta span + span::before { content: " · "; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.badge {
  display: inline-block; padding: .05rem .55rem; border-radius: 1rem; font-size: .85rem;
  font-weight: 600; border: 1px solid currentColor; white-space: nowrap;
}
.badge.pending { color: var(--warn); background: var(--warn-bg); }
.badge.approved { color: var(--ok); background: var(--ok-bg); }
.badge.denied, .badge.revoked { color: var(--bad); background: var(--bad-bg); }
.badge.expired { color: var(--muted); background: var(--subtle-bg); }
.notice { border-radius: .5rem; padding: .75rem 1rem; margin: 0 0 1rem; border: 1px solid; }
.notice.error { color: var(--bad); background: var(--bad-bg); }
.notice.ok { color: var(--ok); background: var(--ok-bg); }
.notice.info { color: var(--ink); background: var(--info-bg); border-color: var(--info-line); }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: .5rem; background: var(--card); }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: 600; padding: .5rem .75rem; }
th, td { text-align: left; vertical-align: top; padding: .45rem .75rem; border-top: 1px solid var(--line); }
thead th { background: var(--subtle-bg); border-top: 0; }
td.secret { color: var(--muted); font-style: italic; }
th .fingerprinted { display: block; font-weight: 400; font-size: .85rem; }
.table-wrap > .table-note { padding: .5rem .75rem 0; }
table.compare tr.changed > * { background: var(--warn-bg); }
table.compare th[scope="row"] { width: 40%; }
table.compare td code { overflow-wrap: anywhere; }
table.compare tr.changed strong { color: var(--warn); }
.card > .table-wrap + p, .card > p + .table-wrap { margin-top: .75rem; }
td code { overflow-wrap: normal; }
td .kv code, th[scope="row"] code { overflow-wrap: anywhere; }
td.nowrap { white-space: nowrap; }
td.details { width: 45%; }
ul.kv { list-style: none; margin: 0; padding: 0; }
ul.kv .k { color: var(--muted); font-weight: 600; }
form.filters { display: flex; flex-wrap: wrap; gap: .75rem 1rem; align-items: flex-end; margin: 0 0 1rem; }
.field { display: flex; flex-direction: column; gap: .25rem; margin: 0 0 .75rem; }
form.filters .field { margin: 0; min-width: 10rem; flex: 1 1 10rem; }
label, legend { font-weight: 600; }
.hint { color: var(--muted); font-size: .9rem; margin: 0; }
input, select, textarea, button { font: inherit; color: inherit; }
input, select, textarea {
  border: 1px solid var(--field-line); border-radius: .375rem; padding: .45rem .6rem; background: var(--card);
  min-height: 2.75rem; width: 100%;
}
textarea { min-height: 6rem; resize: vertical; }
button, .button {
  display: inline-flex; align-items: center; min-height: 2.75rem; padding: .5rem 1.1rem; border-radius: .375rem;
  border: 1px solid var(--brand); background: var(--brand); color: var(--brand-ink);
  font-weight: 600; cursor: pointer; text-decoration: none;
}
button.secondary, .button.secondary { background: var(--card); color: var(--brand); }
button.approve { background: var(--ok); border-color: var(--ok); }
button.deny, button.danger { background: var(--bad); border-color: var(--bad); }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; }
form.revoke .field { max-width: 36rem; }
.decide-bar { display: none; }
#decision { scroll-margin-top: 4.5rem; }
.login { max-width: 26rem; margin: 3rem auto; }
.empty { color: var(--muted); }
@media (min-width: 56rem) {
  .detail { display: grid; grid-template-columns: 3fr 2fr; gap: 1rem; align-items: start; }
}
@media (max-width: 55.99rem) {
  .decide-bar {
    display: flex; align-items: center; justify-content: space-between; gap: .75rem;
    position: sticky; top: 0; z-index: 5; margin: 0 -1rem 1rem; padding: .5rem 1rem;
    background: var(--card); border-bottom: 1px solid var(--line);
  }
}
@media (max-width: 40rem) {
  table.stack thead { position: absolute; left: -9999px; }
  table.stack caption { display: block; }
  table.stack, table.stack tbody, table.stack tr, table.stack th, table.stack td { display: block; width: 100%; }
  table.stack tr { border-top: 1px solid var(--line); padding: .4rem 0; }
  table.stack th, table.stack td { border: 0; padding: .1rem .75rem; }
  table.stack td.nowrap { white-space: normal; }
  table.stack td code { overflow-wrap: anywhere; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  table.stack.compare th[scope="row"] { width: 100%; }
}
@media (max-width: 36rem) {
  h1 { font-size: 1.35rem; }
  dl.facts { grid-template-columns: 1fr; gap: 0 0; }
  dl.facts dd { margin-bottom: .5rem; }
  header.top .who { margin-left: 0; }
}
`;

/** Content hash for cache busting of `/console.css`. */
export const stylesheetVersion = createHash('sha256').update(stylesheet).digest('hex').slice(0, 12);
