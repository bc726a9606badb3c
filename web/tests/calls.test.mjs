// Calls for projects in a real browser: an officer opens a call (with a
// mistake first), a local actor applies for their territory; on a call that
// closes by itself a few seconds after opening, the officer proposes a
// selection, a committee member approves it on the shared committee page,
// and the public page shows the selection. Every page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, isoDay, PASSWORD } from './helpers.mjs';

let essor;
let browser;
let people;
let callURL;
const TITLE = 'Crèches à horaires atypiques';
const SHORT = 'Épiceries itinérantes : territoires pilotes';

before(async () => {
  essor = await startEssor({ ESSOR_COMMITTEE_QUORUM: '1' });
  browser = await launchBrowser();
  people = {
    actor: essor.addUser('mairie@lons.example', 'Paul Martin', 'actor', 'Mairie de Lons-le-Saunier'),
    officer: essor.addUser('odile@fca.example', 'Odile Bernard', 'officer', 'FCA'),
    member: essor.addUser('region@comite.example', 'Lucie Roux', 'committee', 'Région'),
  };
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

async function api(method, path, email, body) {
  const s = await fetch(essor.base + '/api/v1/sessions', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }) });
  const { token } = await s.json();
  const res = await fetch(essor.base + path, { method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined });
  return { status: res.status, body: await res.json() };
}

test('an officer opens a call, with a mistake first', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto('/appels');
  await page.getByRole('heading', { level: 1, name: 'Appels à projets' }).waitFor();
  await audit(page);
  await page.getByRole('link', { name: 'Nouvel appel à projets' }).click();
  await page.getByLabel("Titre de l'appel", { exact: true }).fill(TITLE);
  await page.getByLabel('Description', { exact: true }).fill('Des territoires pour accueillir des crèches ouvertes tôt le matin et tard le soir.');
  await page.getByLabel("Date d'ouverture", { exact: true }).fill(isoDay(0));
  await page.getByLabel('Date de clôture', { exact: true }).fill(isoDay(-1));
  await page.getByRole('button', { name: "Créer l'appel à projets" }).click();
  await page.getByRole('alert').getByText(/postérieur à l'ouverture/).first().waitFor();
  await audit(page);
  await shoot(page, 'call-new-errors');
  await page.getByLabel('Date de clôture', { exact: true }).fill(isoDay(30));
  await page.getByRole('button', { name: "Créer l'appel à projets" }).click();
  await page.waitForURL(/\/appels\/[0-9a-f-]{36}$/);
  callURL = new URL(page.url()).pathname;
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.getByText('Ouvert aux candidatures').first().waitFor();
  await audit(page);
  await page.context().close();
});

test('a local actor applies for their territory', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.actor.email);
  await page.goto('/appels');
  await page.getByRole('region', { name: 'Ouverts en ce moment' }).getByRole('link', { name: TITLE }).click();
  await page.getByRole('heading', { name: 'Candidater pour un territoire' }).waitFor();
  await page.getByRole('button', { name: 'Envoyer la candidature' }).click();
  await page.getByRole('alert').first().waitFor();
  await audit(page);
  await page.getByLabel('Territoire', { exact: true }).selectOption('39');
  await page.getByLabel('Motivation', { exact: true }).fill('Trois entreprises du bassin lédonien travaillent en horaires décalés.');
  await page.getByRole('button', { name: 'Envoyer la candidature' }).click();
  await page.getByText('Votre candidature est enregistrée.').waitFor();
  await page.getByRole('heading', { name: 'Les candidatures de votre organisation' }).waitFor();
  await audit(page);
  await shoot(page, 'call-applied');
  await page.context().close();
});

test('a call closes by itself; the officer proposes, the committee approves, the selection is published', async () => {
  const now = Date.now();
  const created = await api('POST', '/api/v1/calls', people.officer.email, { title: SHORT,
    description: 'Des territoires pour expérimenter une épicerie solidaire itinérante.',
    opens_at: new Date(now - 1000).toISOString().replace(/\.\d+Z$/, 'Z'), closes_at: new Date(now + 6000).toISOString().replace(/\.\d+Z$/, 'Z') });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const applied = await api('POST', `/api/v1/calls/${id}/applications`, people.actor.email,
    { territory_code: '39', motivation: 'Le Jura a un réseau d’épiceries prêt à s’engager.' });
  assert.equal(applied.status, 201, JSON.stringify(applied.body));
  for (let i = 0; ; i++) {
    const c = await api('GET', `/api/v1/calls/${id}`, people.officer.email);
    if (c.body.stage === 'closed') break;
    assert.ok(i < 300, 'the call never closed');
    await new Promise((r) => setTimeout(r, 200));
  }

  const office = await newPage(browser, essor.base);
  await signIn(office, people.officer.email);
  await office.goto(`/appels/${id}`);
  await office.getByRole('heading', { name: 'Proposer une sélection au comité' }).waitFor();
  await audit(office);
  await office.getByRole('group', { name: /Territoires retenus/ }).getByLabel('Jura').check();
  await office.getByRole('button', { name: 'Soumettre la sélection au comité' }).click();
  await office.getByText('La sélection est soumise au comité de pilotage.').waitFor();
  await office.context().close();

  const page = await newPage(browser, essor.base);
  await signIn(page, people.member.email);
  await page.goto('/comite');
  const card = page.locator('article.ballot', { hasText: SHORT });
  await card.getByText('Appel à projets').waitFor();
  await audit(page);
  await card.getByLabel('Approuver et publier la sélection', { exact: true }).check();
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/vote') && r.request().method() === 'POST'),
    card.getByRole('button', { name: /Voter/ }).click(),
  ]);
  await page.context().close();

  const anon = await newPage(browser, essor.base);
  await anon.goto(`/appels/${id}`);
  await anon.getByText('Sélection publiée').first().waitFor();
  await anon.getByRole('region', { name: 'Territoires retenus' }).getByText('Jura').waitFor();
  assert.equal(await anon.getByText('réseau d’épiceries').count(), 0, 'motivations are for signed-in people');
  await audit(anon);
  await shoot(anon, 'call-published');
  await anon.goto('/appels');
  await audit(anon);
  await anon.context().close();
});
