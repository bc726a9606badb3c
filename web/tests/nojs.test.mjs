// Every page works without JavaScript: the same journeys with scripts off.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, isoDay, PASSWORD, openAction } from './helpers.mjs';

let essor;
let browser;
let people;
const TITLE = 'Transport solidaire vers les marchés de Vesoul';

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  people = {
    actor: essor.addUser('asso@vesoul.example', 'Julie Roux', 'actor', 'Familles rurales de Vesoul'),
    officer: essor.addUser('marc@cress.example', 'Marc Lambert', 'officer', 'CRESS'),
    member: essor.addUser('cdc@comite.example', 'Nadia Haddad', 'committee', 'Caisse des dépôts'),
  };
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

async function api(method, path, token, body) {
  const res = await fetch(essor.base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body && JSON.stringify(body),
  });
  const json = await res.json();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

test('without JavaScript: report a need, see similar ones, filter, act and vote', async () => {
  const page = await newPage(browser, essor.base, { javaScriptEnabled: false });
  await signIn(page, people.actor.email);
  assert.match(page.url(), /\/mes-besoins$/);
  await page.getByText('Vous n\'avez pas encore remonté de besoin.').waitFor();
  await audit(page);
  await page.getByRole('link', { name: 'Remonter un besoin' }).first().click();

  await page.getByLabel('Titre du besoin').fill(TITLE);
  await page.getByLabel('Territoire').selectOption('70');
  await page.getByLabel('Description').fill('court');
  await page.getByLabel('Thématique').selectOption('mobility');
  await page.getByRole('button', { name: 'Voir les besoins proches' }).click();
  await page.getByText('Aucun besoin proche sur ce territoire pour l\'instant.').waitFor();
  assert.equal(await page.getByLabel('Titre du besoin').inputValue(), TITLE);
  await audit(page);

  await page.getByRole('button', { name: 'Remonter ce besoin' }).click();
  await page.locator('#need-description-error').getByText('au moins 20 caractères').waitFor();
  await audit(page);
  await page.getByLabel('Description').fill('Les personnes âgées des villages autour de Vesoul n’ont plus de transport vers les marchés le samedi.');
  await page.getByRole('button', { name: 'Remonter ce besoin' }).click();
  await page.getByRole('status').getByText('Votre besoin a bien été remonté').waitFor();
  const needPath = new URL(page.url()).pathname;
  await page.context().close();

  const anon = await newPage(browser, essor.base, { javaScriptEnabled: false });
  await anon.goto('/besoins');
  await anon.getByLabel('Rechercher', { exact: true }).fill('marché');
  await anon.locator('#filter-theme').selectOption('mobility');
  await anon.getByRole('button', { name: 'Filtrer' }).click();
  await anon.getByRole('link', { name: TITLE }).waitFor();
  assert.match(anon.url(), /q=march/);
  await audit(anon);
  await anon.context().close();

  const officer = await newPage(browser, essor.base, { javaScriptEnabled: false });
  await signIn(officer, people.officer.email);
  await officer.goto(needPath);
  await openAction(officer, 'Demander des informations');
  await officer.getByLabel('Votre question au porteur du besoin').fill('Combien de personnes sont concernées chaque samedi ?');
  await officer.getByRole('button', { name: 'Envoyer la demande' }).click();
  await officer.getByText('La demande d\'informations a été envoyée.').waitFor();
  await audit(officer);
  await officer.context().close();

  const actor = await newPage(browser, essor.base, { javaScriptEnabled: false });
  await signIn(actor, people.actor.email);
  await actor.goto(needPath);
  await openAction(actor, 'Apporter les informations demandées');
  await actor.getByLabel('Votre réponse').fill('Une quarantaine de personnes, surtout dans les villages sans commerce.');
  await actor.getByRole('button', { name: 'Envoyer ma réponse' }).click();
  await actor.getByText('Vos informations ont été transmises.').waitFor();
  await audit(actor);
  await actor.context().close();

  const officerToken = (await api('POST', '/api/v1/sessions', null, { email: people.officer.email, password: PASSWORD })).token;
  const id = needPath.split('/').pop();
  for (const body of [
    { action: 'qualify' },
    { action: 'start_study', due_date: isoDay(120) },
    { action: 'submit_study', recommendation: 'go', budget_eur: 45000, summary: 'Besoin confirmé par la mairie et deux associations.' },
  ]) {
    await api('POST', `/api/v1/needs/${id}/transitions`, officerToken, body);
  }

  const member = await newPage(browser, essor.base, { javaScriptEnabled: false });
  await signIn(member, people.member.email);
  const card = member.locator('article.ballot', { has: member.getByRole('link', { name: TITLE }) });
  await card.getByRole('button', { name: 'Voter' }).click();
  await member.locator('.field-error').getByText('Le champ « décision » est obligatoire.').waitFor();
  await audit(member);
  await member.locator('article.ballot').getByLabel('Renvoyer à l\'étude').check();
  await member.locator('article.ballot').getByRole('button', { name: 'Voter' }).click();
  // The committee has one member: the quorum is reached at once.
  await member.waitForURL(/\/comite$/);
  await member.getByText('Votre vote est enregistré.').waitFor();
  await member.getByText('Aucune décision n\'attend votre vote.').waitFor();
  await member.goto(needPath);
  await member.getByRole('heading', { name: /Décision n° 1 : Renvoyer à l'étude/ }).waitFor();
  await member.locator('.steps [aria-current="step"]').getByText('Étude d\'opportunité et de faisabilité').waitFor();
  await audit(member);
  await shoot(member, 'need-back-to-study-nojs');
  await member.context().close();
});
