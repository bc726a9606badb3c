// The directory and carrier matching in a real browser: /annuaire (French
// search, filters by theme, territory and family) and an organisation's
// page; /porteurs-recherches with its Atom feed and, for an actor, the link
// to propose a carrier; the need's "Porteurs possibles" for an officer, with
// an invitation; /annuaire/a-relier, where an officer and an admin link a
// name typed on records. Every page passes axe and, at 390 px, does not
// scroll sideways; the pages as served go through the Nu HTML Checker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, openAction, isoDay, PASSWORD } from './helpers.mjs';

let essor;
let browser;
let people;
const orgs = {};
let seekingID; // a need in carrier_search
let capturedID; // a need still at its first stage
let dir; // the pages kept for the HTML checker
const saved = new Map(); // file → the page it holds

const SEEKING = 'Transport solidaire vers l’hôpital de Dole';
const CAPTURED = 'Laverie solidaire au centre de Dole';

// api calls the JSON API as a person (a bearer token from /api/v1/sessions).
const tokens = new Map();
async function api(person, method, path, body) {
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
  assert.ok(res.status < 300, `${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

const act = (person, id, body) => api(person, 'POST', `/api/v1/needs/${id}/transitions`, body);

function newNeed(title) {
  return api(people.actor, 'POST', '/api/v1/needs', {
    title, theme: 'mobility', territory_code: '39198',
    description: 'Un besoin remonté par la mairie de Dole pour les tests de l’annuaire et des porteurs.',
  });
}

function organisation(body) {
  return api(people.officer, 'POST', '/api/v1/organisations', body);
}

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  dir = mkdtempSync(join(tmpdir(), 'essor-directory-html-'));
  people = {
    actor: essor.addUser('mairie@dole.example', 'Sophie Martin', 'actor', 'Mairie de Dole'),
    officer: essor.addUser('claire@fca.example', 'Claire Dubois', 'officer', 'FCA'),
    member: essor.addUser('region@comite.example', 'Anne Morel', 'committee', 'Région'),
    admin: essor.addUser('admin@essor.example', 'Admin Essor', 'admin', 'Essor'),
  };

  // The needs come first: "Mairie de Dole" enters the directory after them,
  // so they stay unlinked for /annuaire/a-relier.
  seekingID = (await newNeed(SEEKING)).id;
  capturedID = (await newNeed(CAPTURED)).id;
  await act(people.officer, seekingID, { action: 'qualify' });
  await act(people.officer, seekingID, { action: 'start_study', due_date: isoDay(90) });
  await act(people.officer, seekingID, { action: 'submit_study', recommendation: 'go', budget_eur: 60000,
    summary: 'Le modèle économique tient avec la commune.' });
  await act(people.member, seekingID, { action: 'vote', decision: 'approve' });
  for (let i = 0; ; i++) { // the decision may follow the vote by a moment
    const need = await api(people.officer, 'GET', `/api/v1/needs/${seekingID}`);
    if (need.stage === 'carrier_search') break;
    assert.ok(i < 80, `the need is still at stage ${need.stage} after the committee's approval`);
    await new Promise((r) => setTimeout(r, 250));
  }

  orgs.mobility = await organisation({ name: 'Mobilité solidaire du Jura', legal_form: 'association', family: 'association',
    themes: ['mobility'], territories: ['39'], commune_code: '39198' });
  orgs.transport = await organisation({ name: 'Coopérative des transports doux', legal_form: 'scic', family: 'cooperative',
    themes: ['mobility', 'health'], territories: ['39198'] });
  orgs.health = await organisation({ name: 'Santé partagée en Haute-Saône', legal_form: 'association', family: 'mutual',
    themes: ['health'], territories: ['70'] });
  orgs.mairie = await organisation({ name: 'Mairie de Dole', legal_form: 'other', family: 'other', territories: ['39198'],
    commune_code: '39198' });
});

after(async () => {
  await browser?.close();
  await essor?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// atPhone checks the page at 390 px: axe again, and the page does not
// scroll sideways; then it goes back to the laptop's width.
async function atPhone(page) {
  await page.setViewportSize({ width: 390, height: 844 });
  const m = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  assert.ok(m.scroll <= m.width, `${page.url()} scrolls sideways at 390 px: ${m.scroll} px wide`);
  await audit(page);
  await page.setViewportSize({ width: 1366, height: 900 });
  await keep(page);
}

// keep saves the page's HTML as the server sends it to this browser (its
// cookies), for the HTML checker at the end.
async function keep(page) {
  const res = await page.request.get(page.url());
  assert.equal(res.status(), 200, page.url());
  const file = join(dir, `${saved.size}.html`);
  writeFileSync(file, await res.text());
  saved.set(file, new URL(page.url()).pathname + new URL(page.url()).search);
}

// cardNames are the organisations the directory's page lists, in order.
function cardNames(page) {
  return page.locator('article.organisation-card h3').allInnerTexts();
}

test('the directory lists, searches in French and filters by theme, territory and family; an organisation\'s page', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto('/annuaire');
  await page.getByRole('heading', { level: 1, name: 'Annuaire des structures de l\'ESS' }).waitFor();
  assert.deepEqual(await cardNames(page), ['Coopérative des transports doux', 'Mairie de Dole',
    'Mobilité solidaire du Jura', 'Santé partagée en Haute-Saône'], 'every organisation, by name');
  const card = page.locator('article.organisation-card', { has: page.getByRole('link', { name: 'Mobilité solidaire du Jura' }) });
  await card.getByText('Association · Association').waitFor();
  await card.getByText('Mobilité', { exact: true }).waitFor();
  // Anonymous: no link to the names to link.
  assert.equal(await page.getByRole('link', { name: 'Noms à relier' }).count(), 0);
  await page.getByRole('link', { name: 'Tout l’annuaire en CSV (données ouvertes)' }).waitFor();
  await audit(page);
  await atPhone(page);
  await shoot(page, 'directory');

  // French search: a plural without its accent finds the singular.
  const search = page.getByRole('search', { name: 'Chercher dans l\'annuaire' });
  await search.getByLabel('Rechercher').fill('cooperatives transport');
  await search.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/[?&]q=cooperatives/);
  assert.deepEqual(await cardNames(page), ['Coopérative des transports doux']);
  assert.equal(await search.getByLabel('Rechercher').inputValue(), 'cooperatives transport');
  await search.getByRole('link', { name: 'Tout afficher' }).waitFor();
  await audit(page);

  await search.getByLabel('Rechercher').fill('zzz introuvable');
  await search.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByText('Aucune structure ne répond à ces critères.').waitFor();
  assert.deepEqual(await cardNames(page), []);
  await audit(page);

  // Theme, then the Jura (which takes in Dole, a commune inside it).
  await search.getByLabel('Rechercher').fill('');
  await search.getByLabel('Thématique').selectOption('mobility');
  await search.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/[?&]theme=mobility/);
  assert.deepEqual(await cardNames(page), ['Coopérative des transports doux', 'Mobilité solidaire du Jura']);
  await search.getByLabel('Thématique').selectOption('');
  await search.getByLabel('Territoire').selectOption('39');
  await search.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/[?&]territory=39/);
  assert.deepEqual(await cardNames(page), ['Coopérative des transports doux', 'Mairie de Dole', 'Mobilité solidaire du Jura']);
  await search.getByLabel('Famille').selectOption('cooperative');
  await search.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/[?&]family=cooperative/);
  assert.deepEqual(await cardNames(page), ['Coopérative des transports doux']);
  assert.equal(await search.getByLabel('Territoire').inputValue(), '39', 'the filter keeps its territory');
  await audit(page);
  await atPhone(page);
  await shoot(page, 'directory-filtered');

  // A wrong family in the address is refused beside its field.
  await page.goto('/annuaire?family=banque');
  await page.getByRole('alert').waitFor();
  assert.match(await page.title(), /^Erreur : /);
  await audit(page);

  await page.goto('/annuaire?q=mobilite');
  await page.getByRole('link', { name: 'Mobilité solidaire du Jura' }).click();
  await page.waitForURL(`/annuaire/${orgs.mobility.id}`);
  await page.getByRole('heading', { level: 1, name: 'Mobilité solidaire du Jura' }).waitFor();
  const fact = (name) => page.locator('.facts div', { has: page.locator('dt', { hasText: name }) }).locator('dd');
  assert.equal(await fact('Famille').innerText(), 'Association');
  assert.equal(await fact('Forme juridique').innerText(), 'Association');
  assert.equal(await fact('Thématiques').innerText(), 'Mobilité');
  assert.equal(await fact('Territoires d\'intervention').innerText(), 'Jura');
  const inEssor = page.getByRole('region', { name: 'Dans Essor' });
  await inEssor.getByText('Cette structure n’a encore rien remonté, accueilli ni soutenu dans Essor.').waitFor();
  await page.getByRole('link', { name: 'Retour à l\'annuaire' }).waitFor();
  await audit(page);
  await atPhone(page);
  await shoot(page, 'organisation');

  const missing = await page.goto('/annuaire/00000000-0000-4000-8000-000000000000');
  assert.equal(missing.status(), 404);
  await page.context().close();
});

test('the projects looking for a carrier: public, with an Atom feed; an actor is offered to propose a carrier', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto('/porteurs-recherches');
  await page.getByRole('heading', { level: 1, name: 'Projets qui cherchent un porteur' }).waitFor();
  const card = page.locator('article.need-card', { has: page.getByRole('link', { name: SEEKING }) });
  await card.waitFor();
  assert.equal(await page.getByRole('link', { name: CAPTURED }).count(), 0, 'a captured need does not look for a carrier');
  await card.getByText(/^Cherche un porteur depuis le /).waitFor();
  await card.locator('dd', { hasText: 'Mobilité' }).waitFor();
  assert.equal(await page.getByRole('link', { name: /Nous pourrions porter ce projet/ }).count(), 0, 'not signed in: no proposal link');

  const feed = page.getByRole('link', { name: 'Flux Atom des nouveaux projets' });
  assert.equal(await feed.getAttribute('type'), 'application/atom+xml');
  const res = await fetch(new URL(await feed.getAttribute('href'), essor.base));
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /atom\+xml|xml/);
  const atom = await res.text();
  assert.match(atom, /<feed[^>]*xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
  assert.ok(atom.includes('Transport solidaire vers'), `the feed names the project:\n${atom.slice(0, 1500)}`);
  assert.ok(atom.includes(`/besoins/${seekingID}`), 'the feed links the need\'s page');
  assert.ok(!atom.includes(CAPTURED), 'the feed holds only the projects looking for a carrier');
  await audit(page);
  await atPhone(page);
  await shoot(page, 'seeking');

  await signIn(page, people.actor.email);
  await page.goto('/porteurs-recherches');
  const propose = card.getByRole('link', { name: `Nous pourrions porter ce projet — ${SEEKING}` });
  const href = new URL(await propose.getAttribute('href'), essor.base);
  assert.equal(href.pathname + href.hash, `/besoins/${seekingID}#agir`);
  await audit(page);
  await atPhone(page);
  await propose.click();
  await page.waitForURL(`/besoins/${seekingID}#agir`);
  await page.getByRole('heading', { level: 2, name: 'Agir sur ce projet' }).waitFor();
  await page.locator('details.action summary', { hasText: 'Proposer un porteur' }).waitFor();
  // An actor does not see the officers' ranking.
  assert.equal(await page.getByRole('heading', { name: 'Porteurs possibles' }).count(), 0);
  assert.equal(await page.locator('#porteurs-possibles').count(), 0);
  assert.equal(await page.locator('details.action summary', { hasText: 'Inviter une organisation à porter le projet' }).count(), 0);
  await audit(page);
  await page.context().close();
});

test('an officer sees the possible carriers ranked with their reasons; an invitation shows as "Invitée"', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto(`/besoins/${seekingID}`);
  const section = page.getByRole('region', { name: 'Porteurs possibles' });
  await section.waitFor();
  const items = section.locator('li.suggestion');
  const names = await items.locator('strong').allInnerTexts();
  assert.ok(names.length >= 2, `at least the two mobility organisations are suggested: ${names}`);
  assert.deepEqual(names.slice(0, 2).sort(), ['Coopérative des transports doux', 'Mobilité solidaire du Jura'],
    `the mobility organisations of Dole come first: ${names}`);
  assert.ok(!names.includes('Santé partagée en Haute-Saône'), `an organisation of another theme and département is suggested: ${names}`);
  const scores = [];
  for (const text of await items.locator('.badge', { hasText: /^Score / }).allInnerTexts()) {
    const m = /^Score (\d{1,3}) sur 100$/.exec(text.trim());
    assert.ok(m, `a score reads "Score NN sur 100": ${text}`);
    scores.push(Number(m[1]));
  }
  assert.equal(scores.length, names.length, 'every suggestion has its score');
  assert.ok(scores.every((s, i) => s <= 100 && (i === 0 || s <= scores[i - 1])), `best first: ${scores}`);
  const best = items.filter({ hasText: 'Mobilité solidaire du Jura' });
  await best.locator('.reasons li', { hasText: 'Même thématique que le projet' }).waitFor();
  await best.locator('.reasons li', { hasText: 'Implantée dans la même commune (Dole)' }).waitFor();
  assert.equal(await section.getByText('Invitée', { exact: true }).count(), 0);
  await audit(page);
  await atPhone(page);
  await shoot(page, 'need-suggestions');

  // The invitation's form offers the suggestions.
  const invite = await openAction(page, 'Inviter une organisation à porter le projet');
  const choices = await invite.getByLabel('Organisation de l\'annuaire').locator('option').allInnerTexts();
  for (const name of ['Coopérative des transports doux', 'Mobilité solidaire du Jura']) {
    assert.ok(choices.some((c) => c.includes(name)), `the select offers ${name}: ${choices}`);
  }
  await invite.getByLabel('Message').waitFor();
  await audit(page);

  // Invited over the API: the badge, and the select no longer offers it.
  await act(people.officer, seekingID, { action: 'invite_carrier', organisation_id: orgs.transport.id,
    message: 'Vos véhicules partagés pourraient servir aux trajets vers l’hôpital.' });
  await page.reload();
  const invited = section.locator('li.suggestion').filter({ hasText: 'Coopérative des transports doux' });
  await invited.getByText('Invitée', { exact: true }).waitFor();
  assert.equal(await section.getByText('Invitée', { exact: true }).count(), 1, 'only the invited organisation bears the badge');
  await page.locator('#historique').getByText('Organisation invitée à porter le projet').first().waitFor();
  const again = await openAction(page, 'Inviter une organisation à porter le projet');
  const left = await again.getByLabel('Organisation de l\'annuaire').locator('option').allInnerTexts();
  assert.ok(!left.some((c) => c.includes('Coopérative des transports doux')), `an invited organisation is offered again: ${left}`);
  await audit(page);
  await atPhone(page);
  await shoot(page, 'need-invited');
  await page.context().close();
});

// The officer invites from the need's page: the form sends the chosen
// organisation and the message.
test('an officer invites an organisation from the need\'s page', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto(`/besoins/${seekingID}`);
  const section = page.getByRole('region', { name: 'Porteurs possibles' });
  const invite = await openAction(page, 'Inviter une organisation à porter le projet');
  await invite.getByLabel('Organisation de l\'annuaire').selectOption(orgs.mobility.id);
  await invite.getByLabel('Message').fill('Votre association connaît déjà les trajets vers l’hôpital : seriez-vous partante ?');
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/actions') && r.request().method() === 'POST'),
    invite.getByRole('button', { name: 'Envoyer l\'invitation' }).click(),
  ]);
  await page.waitForLoadState('load');
  const refused = page.locator('details.action[open] .field-error');
  assert.equal(await refused.count(), 0, `the invitation is refused: ${await refused.allInnerTexts()}`);
  await page.getByRole('status').getByText('L\'invitation est envoyée aux membres de l\'organisation.').waitFor({ timeout: 5000 });
  await section.locator('li.suggestion').filter({ hasText: 'Mobilité solidaire du Jura' }).getByText('Invitée', { exact: true }).waitFor();
  await audit(page);
  await page.context().close();
});

test('officers and admins link a name typed on records to the directory', async () => {
  const anon = await newPage(browser, essor.base);
  await anon.goto('/annuaire/a-relier');
  assert.match(anon.url(), /\/connexion\?suite=%2Fannuaire%2Fa-relier$/);
  await anon.context().close();

  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto('/annuaire');
  await page.getByRole('link', { name: 'Noms à relier' }).click();
  await page.waitForURL(/\/annuaire\/a-relier$/);
  await page.getByRole('heading', { level: 1, name: 'Noms à relier à l\'annuaire' }).waitFor();
  const table = page.getByRole('table', { name: /Noms saisis/ });
  const row = table.getByRole('row', { name: /Mairie de Dole/ });
  await row.waitFor();
  const column = async (r, name) => {
    const headers = await table.locator('thead th').allInnerTexts();
    return r.locator('th, td').nth(headers.indexOf(name)).innerText();
  };
  assert.equal(await column(row, 'Comptes'), '1');
  assert.equal(await column(row, 'Besoins'), '2');
  const select = row.getByLabel('Fiche de l\'annuaire');
  const choices = await select.locator('option').allInnerTexts();
  assert.ok(choices.includes('Mairie de Dole'), `the closest record is offered: ${choices}`);
  await audit(page);
  await atPhone(page);
  await shoot(page, 'directory-links');

  // An officer links the needs; the account waits for an admin.
  await select.selectOption({ label: 'Mairie de Dole' });
  await row.getByRole('button', { name: 'Relier — Mairie de Dole' }).click();
  await page.getByRole('status').getByText('Les enregistrements qui portent ce nom sont reliés à la fiche de l\'annuaire.').waitFor();
  await row.waitFor();
  assert.equal(await column(row, 'Comptes'), '1');
  assert.equal(await column(row, 'Besoins'), '0');
  await audit(page);
  await page.context().close();

  const admin = await newPage(browser, essor.base);
  await signIn(admin, people.admin.email);
  await admin.goto('/annuaire/a-relier');
  const adminRow = admin.getByRole('row', { name: /Mairie de Dole/ });
  await adminRow.getByLabel('Fiche de l\'annuaire').selectOption({ label: 'Mairie de Dole' });
  await adminRow.getByRole('button', { name: 'Relier — Mairie de Dole' }).click();
  await admin.getByRole('status').getByText('Les enregistrements qui portent ce nom sont reliés à la fiche de l\'annuaire.').waitFor();
  assert.equal(await admin.getByRole('row', { name: /Mairie de Dole/ }).count(), 0, 'the linked name leaves the table');
  await audit(admin);
  await atPhone(admin);
  await shoot(admin, 'directory-links-done');

  // The organisation's page now lists the needs it submitted.
  await admin.goto(`/annuaire/${orgs.mairie.id}`);
  const submitted = admin.getByRole('region', { name: 'Dans Essor' });
  await submitted.getByRole('heading', { level: 3, name: 'Besoins remontés' }).waitFor();
  await submitted.getByRole('listitem').filter({ has: admin.getByRole('link', { name: SEEKING }) }).getByText('Recherche d\'un porteur').waitFor();
  await submitted.getByRole('link', { name: CAPTURED }).waitFor();
  await audit(admin);
  await atPhone(admin);
  await admin.context().close();
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
