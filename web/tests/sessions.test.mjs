// The committee's institutions and sessions in a real browser:
// /comite/institutions, where an admin ticks the accounts that sit for each
// institution and adds one (a committee member gets 403); a session's page
// (/comite/seances/{id}) as it is planned, opened with its attendance, and
// decided (approved with budget and conditions, rejected with its reason),
// with its .ics invitation; /comite, which lists the coming and past
// sessions and says which waiting decision is on which agenda. Every page
// passes axe and, at 390 px, does not scroll sideways; the pages as served
// go through the Nu HTML Checker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, isoDay, PASSWORD } from './helpers.mjs';

let essor;
let browser;
let people;
const ids = {}; // person key → account id
const needs = {}; // approved, rejected, later → need id
let dir; // the pages kept for the HTML checker
const saved = new Map(); // file → the page it holds

const APPROVED = 'Navette solidaire entre Dole et Tavaux';
const REJECTED = 'Garage associatif à Saint-Claude';
const LATER = 'Covoiturage des saisonniers du Haut-Jura';
const SPRING = 'Comité de pilotage du printemps';
const SUMMER = 'Comité de pilotage de l’été';
const REGION = 'Région Bourgogne-Franche-Comté';
const CRESS = 'CRESS Bourgogne-Franche-Comté';
const FIVE = [REGION, 'État', 'France Active Franche-Comté', CRESS, 'Caisse des dépôts (Banque des Territoires)'];

// api calls the JSON API as a person (a bearer token from /api/v1/sessions);
// every write carries its own Idempotency-Key. expect, when given, is the
// status the call must answer (its body is then returned as text).
const tokens = new Map();
async function api(person, method, path, body, expect) {
  if (!tokens.has(person.email)) {
    const res = await fetch(essor.base + '/api/v1/sessions', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ email: person.email, password: PASSWORD }),
    });
    const text = await res.text();
    assert.equal(res.status, 201, `sign-in of ${person.email} over the API: ${text}`);
    tokens.set(person.email, JSON.parse(text).token);
  }
  const headers = { Authorization: `Bearer ${tokens.get(person.email)}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['Idempotency-Key'] = randomUUID();
  const res = await fetch(essor.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (expect !== undefined) {
    assert.equal(res.status, expect, `${method} ${path} → ${res.status}: ${text}`);
    return text;
  }
  assert.ok(res.status < 300, `${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const act = (person, id, body) => api(person, 'POST', `/api/v1/needs/${id}/transitions`, body);
const sessionAct = (id, body) => api(people.officer, 'POST', `/api/v1/committee/sessions/${id}/transitions`, body);
const members = (slug, users) => api(people.admin, 'PUT', `/api/v1/committee/institutions/${slug}/members`,
  { user_ids: users.map((k) => ids[k]) });

// toCommittee brings a new need to the committee's decision.
async function toCommittee(title) {
  const { id } = await api(people.actor, 'POST', '/api/v1/needs', {
    title, theme: 'mobility', territory_code: '39',
    description: 'Un besoin remonté par la mairie pour les tests des séances du comité de pilotage.',
  });
  await act(people.officer, id, { action: 'qualify' });
  await act(people.officer, id, { action: 'start_study', due_date: isoDay(90) });
  await act(people.officer, id, { action: 'submit_study', recommendation: 'go', budget_eur: 60000,
    summary: 'Le modèle économique tient avec la commune.' });
  return id;
}

// startsAt is a whole hour n days from now, in RFC 3339.
function startsAt(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

async function stageOf(id) {
  return (await api(people.officer, 'GET', `/api/v1/needs/${id}`)).stage;
}

// untilStage polls a need until it reaches a stage (a session's decision
// reaches the need's workflow as a signal, a moment later).
async function untilStage(id, stage) {
  for (let i = 0; ; i++) {
    const now = await stageOf(id);
    if (now === stage) return;
    assert.ok(i < 40, `the need ${id} is still at stage ${now}, not ${stage}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'essor-sessions-html-'));
  people = {
    actor: essor.addUser('mairie@dole.example', 'Sophie Martin', 'actor', 'Mairie de Dole'),
    officer: essor.addUser('claire@fca.example', 'Claire Dubois', 'officer', 'FCA'),
    member1: essor.addUser('region@comite.example', 'Anne Morel', 'committee', 'Région'),
    member2: essor.addUser('etat@comite.example', 'Bertrand Petit', 'committee', 'Préfecture'),
    member3: essor.addUser('fca@comite.example', 'Chloé Girard', 'committee', 'FCA'),
    member4: essor.addUser('cress@comite.example', 'Denis Lambert', 'committee', 'CRESS'),
    admin: essor.addUser('admin@essor.example', 'Admin Essor', 'admin', 'Essor'),
  };
  for (const key of ['member1', 'member2', 'member3', 'member4']) {
    ids[key] = (await api(people[key], 'GET', '/api/v1/me')).id;
  }
  await members('region', ['member1']);
  await members('state', ['member2']);
  await members('fca', ['member3']);
  needs.approved = await toCommittee(APPROVED);
  needs.rejected = await toCommittee(REJECTED);
  needs.later = await toCommittee(LATER);
});

after(async () => {
  await browser?.close();
  await essor?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// atPhone checks the page at 390 px: axe again, and the page does not
// scroll sideways; then it goes back to the laptop's width and keeps the
// page for the HTML checker.
async function atPhone(page) {
  await page.setViewportSize({ width: 390, height: 844 });
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(m.scroll <= m.width, `${page.url()} scrolls sideways at 390 px: ${m.scroll} px wide`);
  await audit(page);
  await page.setViewportSize({ width: 1366, height: 900 });
  await keep(page);
}

// keep saves the page's HTML as the server sends it to this browser (its
// cookies), for the HTML checker at the end; html, when given, is kept
// instead (a refused form's answer).
async function keep(page, html) {
  let label = new URL(page.url()).pathname + new URL(page.url()).search;
  if (html !== undefined) label += ' (POST answer)';
  else {
    const res = await page.request.get(page.url());
    assert.equal(res.status(), 200, page.url());
    html = await res.text();
  }
  const file = join(dir, `${saved.size}.html`);
  writeFileSync(file, html);
  saved.set(file, label);
}

// institution is an institution's section of /comite/institutions.
const institution = (page, name) => page.getByRole('region', { name: new RegExp(`^${name.replace(/[()]/g, '\\$&')} \\(`) });

test('an admin ticks the accounts that sit for each institution and adds one; a committee member gets 403', async () => {
  const denied = await newPage(browser, essor.base);
  await signIn(denied, people.member1.email);
  const res = await denied.goto('/comite/institutions');
  assert.equal(res.status(), 403, 'a committee member is refused the institutions\' page');
  await denied.context().close();

  const page = await newPage(browser, essor.base);
  await signIn(page, people.admin.email);
  await page.goto('/comite/institutions');
  await page.getByRole('heading', { level: 1, name: 'Institutions du comité de pilotage' }).waitFor();
  const headings = await page.locator('section.panel h2[id^="inst-"]:not(#inst-add)').allInnerTexts();
  assert.deepEqual(headings.map((h) => h.replace(/\s*\([a-z0-9_]+\)$/, '')), FIVE, 'the five institutions, in order');
  for (const name of FIVE) {
    const section = institution(page, name);
    const boxes = section.getByRole('checkbox');
    assert.equal(await boxes.count(), 4, `${name}: one box per account holding the committee role`);
    for (const box of await boxes.all()) assert.equal(await box.getAttribute('name'), 'user_ids');
    await section.getByRole('button', { name: `Enregistrer les membres — ${name}` }).waitFor();
  }
  assert.equal(await page.getByRole('checkbox', { name: /Admin Essor|Sophie Martin|Claire Dubois/ }).count(), 0,
    'only the committee\'s accounts are offered');
  const cress = institution(page, CRESS);
  assert.equal(await cress.getByRole('checkbox', { name: /Denis Lambert/ }).isChecked(), false);
  await cress.getByText(`— siège aujourd'hui pour ${REGION}`).waitFor();
  assert.match(await cress.getByRole('checkbox', { name: /Anne Morel/ }).evaluate((b) => b.labels[0].innerText),
    new RegExp(`^Anne Morel — siège aujourd'hui pour ${REGION}$`));
  assert.equal(await institution(page, REGION).getByRole('checkbox', { name: /Anne Morel/ }).isChecked(), true);
  await audit(page);
  await atPhone(page);
  await shoot(page, 'institutions');

  // Ticked and saved: the flash, and the box stays ticked.
  await cress.getByRole('checkbox', { name: /Denis Lambert/ }).check();
  await Promise.all([
    page.waitForURL('/comite/institutions'),
    cress.getByRole('button', { name: `Enregistrer les membres — ${CRESS}` }).click(),
  ]);
  await page.getByRole('status').getByText('Les membres de l\'institution sont enregistrés.').waitFor();
  assert.equal(await cress.getByRole('checkbox', { name: /Denis Lambert/ }).isChecked(), true, 'the box stays ticked');
  assert.equal(await cress.getByRole('checkbox', { name: /Anne Morel/ }).isChecked(), false);
  const elsewhere = institution(page, REGION).getByRole('checkbox', { name: /Denis Lambert/ });
  assert.equal(await elsewhere.isChecked(), false);
  assert.equal(await elsewhere.evaluate((b) => b.labels[0].innerText), `Denis Lambert — siège aujourd'hui pour ${CRESS}`);
  const listed = await api(people.admin, 'GET', '/api/v1/committee/institutions');
  const inCress = listed.find((i) => i.slug === 'cress');
  assert.deepEqual(inCress.members.map((m) => m.id), [ids.member4], `the API agrees: ${JSON.stringify(inCress)}`);
  await audit(page);
  await atPhone(page);

  // A wrong identifier is refused beside its field, then the institution is added.
  const add = page.getByRole('region', { name: 'Ajouter une institution' });
  await add.getByLabel(/^Identifiant/).fill('Réseau Solidaire');
  await add.getByLabel(/^Nom/).fill('Réseau des collectivités pour une économie solidaire');
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/comite/institutions')),
    add.getByRole('button', { name: 'Ajouter l\'institution' }).click(),
  ]);
  assert.equal(refused.status(), 422, 'a wrong identifier is refused');
  await page.waitForLoadState('load');
  await page.getByRole('alert').waitFor();
  assert.match(await page.title(), /^Erreur : /);
  assert.equal(await page.getByLabel(/^Identifiant/).getAttribute('aria-invalid'), 'true');
  await audit(page);
  await keep(page, await refused.text());

  await page.getByLabel(/^Identifiant/).fill('rtes');
  await Promise.all([
    page.waitForURL('/comite/institutions'),
    page.getByRole('button', { name: 'Ajouter l\'institution' }).click(),
  ]);
  await page.getByRole('status').getByText('L\'institution est ajoutée.').waitFor();
  const added = institution(page, 'Réseau des collectivités pour une économie solidaire');
  await added.getByRole('heading', { level: 2, name: 'Réseau des collectivités pour une économie solidaire (rtes)' }).waitFor();
  assert.equal(await added.getByRole('checkbox').count(), 4);
  assert.equal(await added.getByRole('checkbox', { checked: true }).count(), 0);
  await audit(page);
  await atPhone(page);
  await page.context().close();
});

test('a session\'s page as it is planned, opened and decided; its .ics invitation; the need moves on', async () => {
  await members('cress', ['member4']); // whatever the test before did: four institutions sit
  const when = startsAt(3);
  const spring = await api(people.officer, 'POST', '/api/v1/committee/sessions',
    { title: SPRING, starts_at: when, place: 'Hôtel de Région, Besançon — salle Courbet' });
  assert.equal(spring.stage, 'planned');
  await api(people.officer, 'POST', `/api/v1/committee/sessions/${spring.id}/agenda`,
    { subject: 'need', id: needs.approved, report: 'La commune de Tavaux cofinance la navette ; le chargé recommande de la soutenir.' });
  await api(people.officer, 'POST', `/api/v1/committee/sessions/${spring.id}/agenda`,
    { subject: 'need', id: needs.rejected, report: 'Le local n’est pas trouvé et aucun porteur ne s’est fait connaître.' });
  assert.equal((await sessionAct(spring.id, { action: 'convene' })).stage, 'convened');
  const url = `/comite/seances/${spring.id}`;

  // Convened, not yet opened: no attendance, every item undecided.
  const page = await newPage(browser, essor.base);
  await signIn(page, people.member1.email);
  await page.goto(url);
  await page.getByRole('heading', { level: 1, name: SPRING }).waitFor();
  assert.match(await page.title(), new RegExp(SPRING));
  const fact = (name) => page.locator('.facts div', { has: page.locator('dt', { hasText: name }) }).locator('dd');
  assert.equal(await fact('Lieu').innerText(), 'Hôtel de Région, Besançon — salle Courbet');
  assert.equal(await fact('État').innerText(), 'convoquée');
  const time = fact('Date').locator('time');
  assert.equal(new Date(await time.getAttribute('datetime')).getTime(), new Date(when).getTime(), 'the date\'s datetime');
  const whenText = (await time.innerText()).trim();
  assert.ok(whenText.length > 0);
  assert.equal(await page.getByRole('heading', { name: 'Présences' }).count(), 0, 'no attendance before the opening');
  assert.equal(await fact('Quorum').count(), 0);
  const agenda = page.getByRole('region', { name: 'Ordre du jour' });
  const items = agenda.locator('ol.agenda > li');
  assert.equal(await items.count(), 2);
  const item = (title) => items.filter({ has: page.getByRole('heading', { level: 3, name: new RegExp(title) }) });
  const first = item(APPROVED);
  assert.equal(await first.getByRole('link', { name: APPROVED }).getAttribute('href'), `/besoins/${needs.approved}`);
  await first.getByText('La commune de Tavaux cofinance la navette').waitFor();
  await first.getByText('Pas encore décidé.').waitFor();
  await item(REJECTED).getByText('Pas encore décidé.').waitFor();
  assert.deepEqual(await agenda.locator('h3 a').allInnerTexts(), [APPROVED, REJECTED], 'the items in their order');

  // The invitation is an iCalendar file.
  const ics = page.getByRole('link', { name: 'Ajouter à mon agenda (.ics)' });
  assert.equal(await ics.getAttribute('type'), 'text/calendar');
  const cal = await page.request.get(await ics.getAttribute('href'));
  assert.equal(cal.status(), 200);
  assert.match(cal.headers()['content-type'], /^text\/calendar/);
  const body = await cal.text();
  assert.match(body, /^BEGIN:VCALENDAR\r?\n/);
  assert.match(body, /BEGIN:VEVENT/);
  assert.ok(body.replace(/\r?\n[ \t]/g, '').includes(SPRING.replace(/,/g, '\\,')), `the invitation names the session:\n${body}`);
  await audit(page);
  await atPhone(page);
  await shoot(page, 'session-convened');

  // The committee's page says which waiting decision is on which agenda.
  await page.goto('/comite');
  const card = page.locator('article.ballot', { has: page.getByRole('link', { name: APPROVED, exact: true }) });
  const onAgenda = card.getByRole('link', { name: `à l'ordre du jour de « ${SPRING} » (${whenText})` });
  assert.equal(await onAgenda.getAttribute('href'), url);
  const later = page.locator('article.ballot', { has: page.getByRole('link', { name: LATER, exact: true }) });
  assert.equal(await later.getByRole('link', { name: /^à l'ordre du jour de/ }).count(), 0, 'a decision on no agenda');
  await onAgenda.click();
  await page.waitForURL(url);

  // The officer and the admin see the page too; an actor does not.
  for (const who of ['officer', 'admin']) {
    const p = await newPage(browser, essor.base);
    await signIn(p, people[who].email);
    const r = await p.goto(url);
    assert.equal(r.status(), 200, `${who} ${url}`);
    await p.getByRole('heading', { level: 1, name: SPRING }).waitFor();
    await audit(p);
    await p.context().close();
  }
  const actor = await newPage(browser, essor.base);
  await signIn(actor, people.actor.email);
  assert.equal((await actor.goto(url)).status(), 403, 'an actor is refused a session\'s page');
  await actor.context().close();

  // Two institutions of four are not more than half: 409, and the session stays convened.
  const short = await api(people.officer, 'POST', `/api/v1/committee/sessions/${spring.id}/transitions`, { action: 'open',
    attendance: [{ user_id: ids.member1, status: 'present' }, { user_id: ids.member2, status: 'present' },
      { user_id: ids.member3, status: 'excused' }, { user_id: ids.member4, status: 'excused' }] }, 409);
  assert.match(short, /Quorum non atteint : 2 institutions présentes ou représentées, il en faut 3/);
  assert.equal((await api(people.officer, 'GET', `/api/v1/committee/sessions/${spring.id}`)).stage, 'convened');

  const opened = await sessionAct(spring.id, { action: 'open',
    attendance: [{ user_id: ids.member1, status: 'present' }, { user_id: ids.member2, status: 'present' },
      { user_id: ids.member3, status: 'represented', proxy_id: ids.member2 }, { user_id: ids.member4, status: 'excused' }] });
  assert.equal(opened.stage, 'open');
  assert.deepEqual([opened.present, opened.quorum], [3, 3]);
  await page.reload();
  assert.equal(await fact('État').innerText(), 'ouverte');
  assert.equal(await fact('Quorum').innerText(), '3 institutions présentes ou représentées sur 3 requises');
  const presences = page.getByRole('region', { name: 'Présences' });
  const attendees = (await presences.getByRole('listitem').allInnerTexts()).map((t) => t.trim());
  assert.equal(attendees.length, 4, `every member: ${attendees}`);
  for (const [name, status] of [['Anne Morel', 'présent·e'], ['Bertrand Petit', 'présent·e'],
    ['Chloé Girard', 'représenté·e'], ['Denis Lambert', 'excusé·e']]) {
    assert.ok(attendees.some((a) => a.startsWith(name) && a.endsWith(`— ${status}`)), `${name} — ${status}: ${attendees}`);
  }
  await first.getByText('Pas encore décidé.').waitFor();
  await audit(page);
  await atPhone(page);
  await shoot(page, 'session-open');

  // Decided in session: one approved with another budget and conditions, one rejected.
  await api(people.officer, 'POST', `/api/v1/committee/sessions/${spring.id}/items/1/decision`, { decision: 'approve',
    budget_eur: 45000, conditions: 'La commune de Tavaux confirme sa part avant l’été.', votes: { for: 2, against: 0, abstain: 0 } });
  await api(people.officer, 'POST', `/api/v1/committee/sessions/${spring.id}/items/2/decision`, { decision: 'reject',
    reason: 'Sans local ni porteur, le projet n’est pas mûr.', votes: { for: 0, against: 2, abstain: 0 } });
  await page.reload();
  const approvedText = await first.innerText();
  assert.match(approvedText, /Approuvé — pour : 2, contre : 0, abstentions : 0/);
  assert.match(approvedText, /Budget approuvé\s?:\s45\s000(,00)?\s€/, `the budget: ${approvedText}`);
  assert.match(approvedText, /Conditions\s?:\sLa commune de Tavaux confirme sa part avant l’été\./);
  assert.equal(await first.getByText('Pas encore décidé.').count(), 0);
  const rejectedText = await item(REJECTED).innerText();
  assert.match(rejectedText, /Rejeté — pour : 0, contre : 2, abstentions : 0/);
  assert.match(rejectedText, /Motif\s?:\sSans local ni porteur, le projet n’est pas mûr\./);
  assert.doesNotMatch(rejectedText, /Budget approuvé|Conditions/);
  await audit(page);
  await atPhone(page);
  await shoot(page, 'session-decided');

  assert.equal((await sessionAct(spring.id, { action: 'close' })).stage, 'closed');
  await page.reload();
  assert.equal(await fact('État').innerText(), 'close');
  await audit(page);
  await keep(page);

  // The approval reaches the need: it looks for a carrier.
  await untilStage(needs.approved, 'carrier_search');
  await page.goto(`/besoins/${needs.approved}`);
  await page.getByText('Recherche d\'un porteur').first().waitFor();
  await untilStage(needs.rejected, 'rejected');
  await page.context().close();
});

test('the committee\'s page lists the coming and past sessions and the decisions waiting, each with its session', async () => {
  const when = startsAt(10);
  const summer = await api(people.officer, 'POST', '/api/v1/committee/sessions',
    { title: SUMMER, starts_at: when, place: 'Maison de l’ESS, Dijon' });
  await api(people.officer, 'POST', `/api/v1/committee/sessions/${summer.id}/agenda`,
    { subject: 'need', id: needs.later, report: 'Les saisonniers des stations manquent de solutions pour monter au travail.' });

  const page = await newPage(browser, essor.base);
  await signIn(page, people.member2.email);
  await page.goto('/comite');
  const sessions = page.getByRole('region', { name: 'Séances du comité' });
  await sessions.getByRole('heading', { level: 2, name: 'Séances du comité' }).waitFor();
  assert.deepEqual(await sessions.getByRole('heading', { level: 3 }).allInnerTexts(), ['Prochaines séances', 'Séances passées']);
  const next = sessions.locator('h3:text-is("Prochaines séances") + ul > li');
  const past = sessions.locator('h3:text-is("Séances passées") + ul > li');
  assert.equal(await next.count(), 1);
  assert.equal(await past.count(), 1);
  await next.getByRole('link', { name: SUMMER }).waitFor();
  assert.match(await next.innerText(), /Maison de l’ESS, Dijon · prévue · 1 point à l'ordre du jour$/);
  await past.getByRole('link', { name: SPRING }).waitFor();
  assert.match(await past.innerText(), /· close$/);
  assert.equal(new Date(await next.locator('time').getAttribute('datetime')).getTime(), new Date(when).getTime());
  const summerWhen = (await next.locator('time').innerText()).trim();

  await page.getByRole('heading', { level: 2, name: 'Décisions en attente' }).waitFor();
  const cards = page.locator('article.ballot');
  assert.equal(await cards.count(), 1, 'the decided needs no longer wait');
  const card = cards.filter({ has: page.getByRole('link', { name: LATER, exact: true }) });
  const link = card.getByRole('link', { name: `à l'ordre du jour de « ${SUMMER} » (${summerWhen})` });
  assert.equal(await link.getAttribute('href'), `/comite/seances/${summer.id}`);
  await audit(page);
  await atPhone(page);
  await shoot(page, 'committee-sessions');

  await link.click();
  await page.waitForURL(`/comite/seances/${summer.id}`);
  await page.getByRole('heading', { level: 1, name: SUMMER }).waitFor();
  await audit(page);
  await atPhone(page);
  await page.context().close();
});

test('the Nu HTML Checker finds no error in these pages', async () => {
  assert.ok(saved.size >= 8, `only ${saved.size} pages saved`);
  const vnu = createRequire(import.meta.url).resolve('vnu-jar/build/dist/vnu.jar');
  let out;
  try {
    ({ stdout: out } = await promisify(execFile)('java', ['-jar', vnu, '--format', 'json', '--stdout', ...saved.keys()],
      { maxBuffer: 16 << 20, timeout: 120_000 }));
  } catch (err) {
    if (err.stdout === undefined || err.code === 'ENOENT') throw err; // no Java: .ci/ensure-browser installs it
    out = err.stdout; // vnu exits 1 when it reports errors
  }
  const errors = JSON.parse(out).messages.filter((m) => m.type === 'error' || m.type === 'non-document-error');
  const report = errors.map((m) => `${saved.get(m.url.replace(/^file:/, '')) ?? m.url}:${m.lastLine ?? ''}: ${m.message}\n    ${(m.extract ?? '').replace(/\n/g, ' ')}`);
  assert.deepEqual(report, [], `${errors.length} HTML errors:\n${report.join('\n')}`);
});
