// The pages added around the pipeline, in a real browser: reference data
// (/admin/referentiel), personal data (export and erasure of an account),
// officer assignment ("mes dossiers", the board's filter), signing out
// everywhere, and the committee's secret vote.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, openAction, fromHeader, PASSWORD } from './helpers.mjs';

let essor;
let browser;
let people;

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  people = {
    actor: essor.addUser('mairie@dole.example', 'Sophie Martin', 'actor', 'Mairie de Dole'),
    leaving: essor.addUser('benevole@lons.example', 'Julien Roche', 'actor', 'Épicerie solidaire de Lons'),
    traveller: essor.addUser('centre@dole.example', 'Karim Benali', 'actor', 'Centre social de Dole'),
    officer: essor.addUser('claire@fca.example', 'Claire Dubois', 'officer', 'FCA'),
    officer2: essor.addUser('marc@fca.example', 'Marc Lefèvre', 'officer', 'FCA'),
    member1: essor.addUser('region@comite.example', 'Anne Morel', 'committee', 'Région'),
    member2: essor.addUser('etat@comite.example', 'Paul Girard', 'committee', 'État'),
    admin: essor.addUser('admin@essor.example', 'Admin Essor', 'admin', 'Essor'),
  };
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

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
  if (method === 'POST') headers['Idempotency-Key'] = randomUUID();
  const res = await fetch(essor.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  assert.ok(res.status < 300, `${method} ${path} → ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function newNeed(title, by = people.actor) {
  const need = await api(by, 'POST', '/api/v1/needs', {
    title,
    description: 'Un besoin remonté par la mairie pour les tests du navigateur, décrit en plus de vingt caractères.',
    theme: 'early_childhood', territory_code: '39', beneficiaries: 40,
  });
  return need.id;
}

function act(person, id, body) {
  return api(person, 'POST', `/api/v1/needs/${id}/transitions`, body);
}

test('an admin adds an employment zone under the Jura, a mistake first, then retires and restores it', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.admin.email);
  await (await fromHeader(page, 'Thématiques et territoires')).click();
  await page.waitForURL(/\/admin\/referentiel$/);
  await page.getByRole('heading', { level: 1, name: 'Thématiques et territoires' }).waitFor();
  await page.getByRole('row', { name: /ze-dole/ }).waitFor();
  await audit(page);
  await shoot(page, 'reference');

  const add = page.getByRole('region', { name: 'Ajouter un territoire' });
  await add.getByLabel('Code').fill('ZE Champagnole');
  await add.getByLabel('Nom', { exact: true }).fill('Zone d’emploi de Champagnole');
  await add.getByLabel('Type').selectOption({ label: 'Zone d\'emploi' });
  await add.getByLabel('Territoire parent').selectOption({ label: 'Jura (Département)' });
  await add.getByRole('button', { name: 'Ajouter le territoire' }).click();

  await page.locator('#territory-code-error').getByText('ne peut contenir que des lettres minuscules sans accent').waitFor();
  const code = page.locator('#territory-code');
  assert.equal(await code.getAttribute('aria-invalid'), 'true');
  assert.match(await code.getAttribute('aria-describedby'), /territory-code-error/);
  assert.equal(await code.inputValue(), 'ZE Champagnole');
  assert.equal(await page.locator('#territory-name').inputValue(), 'Zone d’emploi de Champagnole');
  assert.match(await page.title(), /^Erreur : /);
  await page.getByRole('alert').getByRole('link', { name: /code/ }).waitFor();
  await audit(page);
  await shoot(page, 'reference-errors');

  await code.fill('ze-champagnole');
  await add.getByRole('button', { name: 'Ajouter le territoire' }).click();
  await page.getByRole('status').getByText('Le territoire a été ajouté.').waitFor();
  const row = page.getByRole('row', { name: /ze-champagnole/ });
  await row.getByRole('cell', { name: 'Zone d’emploi de Champagnole', exact: true }).waitFor();
  await row.getByRole('cell', { name: 'Jura', exact: true }).waitFor();
  await row.getByRole('cell', { name: 'Proposé', exact: true }).waitFor();
  await audit(page);

  await row.getByRole('button', { name: 'Retirer Zone d’emploi de Champagnole' }).click();
  await page.getByRole('status').getByText('Le territoire a été retiré').waitFor();
  await row.getByRole('cell', { name: 'Retiré', exact: true }).waitFor();
  await audit(page);
  await shoot(page, 'reference-retired');

  await row.getByRole('button', { name: 'Rétablir Zone d’emploi de Champagnole' }).click();
  await page.getByRole('status').getByText('Le territoire a été rétabli.').waitFor();
  await row.getByRole('cell', { name: 'Proposé', exact: true }).waitFor();
  await row.getByRole('button', { name: 'Retirer Zone d’emploi de Champagnole' }).waitFor();
  await audit(page);
  await page.context().close();
});

test('an admin exports a person\'s data, then erases the person, a mistake first', async () => {
  const title = 'Épicerie solidaire itinérante autour de Lons';
  const needID = await newNeed(title, people.leaving);
  const page = await newPage(browser, essor.base, { acceptDownloads: true });
  await signIn(page, people.admin.email);
  await page.goto('/admin/comptes');
  const row = page.getByRole('row', { name: new RegExp(people.leaving.email) });
  await row.getByRole('link', { name: `Modifier ${people.leaving.name}` }).click();
  await page.waitForURL(/\/admin\/comptes\/[0-9a-f-]{36}$/);
  const accountPath = new URL(page.url()).pathname;
  const id = accountPath.split('/').pop();
  await page.getByRole('heading', { level: 1, name: people.leaving.name }).waitFor();
  await page.getByRole('heading', { name: 'Données personnelles (RGPD)' }).waitFor();
  await audit(page);
  await shoot(page, 'account');

  // The export is a download: a JSON file named after the account, without
  // the password's hash.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Exporter les données (RGPD)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `essor-donnees-personnelles-${id}.json`);
  const text = readFileSync(await download.path(), 'utf8');
  const data = JSON.parse(text);
  assert.equal(data.account?.id, id);
  assert.equal(data.account?.email, people.leaving.email);
  assert.ok(data.needs_submitted?.some((n) => n.title === title), 'the export lists the need the person submitted');
  assert.ok(!/password|mot_de_passe|\$argon2|\$2[aby]\$/i.test(text), `the export must not hold a password hash:\n${text.slice(0, 2000)}`);

  await page.getByRole('link', { name: 'Effacer cette personne (RGPD)…' }).click();
  await page.waitForURL(`${accountPath}/effacer`);
  await page.getByRole('heading', { level: 1, name: `Effacer ${people.leaving.name}` }).waitFor();
  await audit(page);
  await shoot(page, 'erase');

  await page.getByRole('button', { name: 'Effacer définitivement' }).click();
  await page.locator('#erase-reason-error').getByText('Le champ « motif » est obligatoire.').waitFor();
  const reason = page.getByLabel('Motif de l\'effacement');
  assert.equal(await reason.getAttribute('aria-invalid'), 'true');
  assert.match(await reason.getAttribute('aria-describedby'), /erase-reason-error/);
  assert.match(await page.title(), /^Erreur : /);
  await audit(page);
  await shoot(page, 'erase-errors');

  await reason.fill('Demande de la personne reçue par courrier le 3 mars.');
  await page.getByRole('button', { name: 'Effacer définitivement' }).click();
  await page.getByRole('status').getByText('La personne a été effacée : son nom n\'apparaît plus dans Essor.').waitFor();

  await page.goto('/admin/comptes');
  const erased = page.locator('tr', { has: page.locator(`a[href="${accountPath}"]`) });
  await erased.getByRole('cell', { name: 'Effacé', exact: true }).waitFor();
  const erasedText = await erased.innerText();
  assert.ok(!erasedText.includes(people.leaving.email), `the erased row still shows the e-mail address: ${erasedText}`);
  assert.ok(!erasedText.includes(people.leaving.name), `the erased row still shows the name: ${erasedText}`);
  await audit(page);
  await shoot(page, 'accounts-erased');

  await page.goto(accountPath);
  await page.getByText('Cette personne a été effacée le').waitFor();
  await audit(page);

  // The need the person submitted stays, without the name.
  await page.goto(`/besoins/${needID}`);
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  const reporter = page.locator('.facts div', { has: page.locator('dt', { hasText: 'Remonté par' }) }).locator('dd');
  assert.equal(await reporter.innerText(), 'Personne effacée');
  assert.ok(!(await page.locator('main').innerText()).includes(people.leaving.name), 'the erased name still shows on the need page');
  await audit(page);
  await page.context().close();
});

test('an officer takes a file, finds it on "Mes dossiers" and filters the board', async () => {
  const title = 'Transport à la demande vers la zone d’activités de Dole';
  const other = 'Laverie solidaire au centre de Dole';
  const id = await newNeed(title);
  const otherID = await newNeed(other);
  const officer2 = await api(people.officer2, 'GET', '/api/v1/me');
  await act(people.officer2, otherID, { action: 'assign', officer_id: officer2.id });

  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto('/mes-dossiers');
  await page.getByRole('heading', { level: 1, name: 'Mes dossiers' }).waitFor();
  await page.getByText('Aucun dossier ne vous est attribué pour l\'instant.').waitFor();
  await audit(page);
  await shoot(page, 'files-empty');

  await page.goto(`/besoins/${id}`);
  const officerFact = page.locator('.facts .officer');
  await officerFact.getByText('Aucun chargé de mission').waitFor();
  const details = await openAction(page, 'Attribuer le dossier');
  const select = details.getByLabel('Chargé(e) de mission');
  await select.selectOption({ label: `Me l'attribuer (${people.officer.name})` });
  await details.getByRole('button', { name: 'Attribuer le dossier' }).click();
  await page.getByRole('status').getByText('Le dossier est attribué.').waitFor();
  assert.equal(await officerFact.locator('dt').innerText(), 'Chargé(e) de mission');
  assert.equal(await officerFact.locator('dd').innerText(), people.officer.name);
  await page.locator('#historique').getByText(`Dossier confié à ${people.officer.name}.`).waitFor();
  await audit(page);
  await shoot(page, 'need-assigned');

  await (await fromHeader(page, 'Mes dossiers')).click();
  await page.waitForURL(/\/mes-dossiers$/);
  await page.getByRole('link', { name: title }).waitFor();
  assert.equal(await page.getByRole('link', { name: other }).count(), 0);
  await audit(page);
  await shoot(page, 'files');

  await page.goto('/tableau');
  const filter = page.getByRole('search', { name: 'Filtrer le tableau de bord' });
  await page.getByRole('link', { name: title }).waitFor();
  await page.getByRole('link', { name: other }).waitFor();
  await filter.getByLabel('Chargé(e) de mission').selectOption({ label: `Mes dossiers (${people.officer.name})` });
  await filter.getByRole('button', { name: 'Filtrer' }).click();
  await page.waitForURL(/officer=me/);
  const card = page.locator('.board-card', { has: page.getByRole('link', { name: title }) });
  await card.getByText(`Suivi par ${people.officer.name}`).waitFor();
  assert.equal(await page.getByRole('link', { name: other }).count(), 0);
  await filter.getByRole('link', { name: 'Voir tous les projets' }).waitFor();
  await audit(page);
  await shoot(page, 'board-filtered');

  await filter.getByLabel('Chargé(e) de mission').selectOption({ label: people.officer2.name });
  await filter.getByRole('button', { name: 'Filtrer' }).click();
  await page.getByRole('link', { name: other }).waitFor();
  assert.equal(await page.getByRole('link', { name: title }).count(), 0);
  await audit(page);
  await page.context().close();
});

test('signing out of every device signs out the other browser too', async () => {
  const here = await newPage(browser, essor.base);
  const there = await newPage(browser, essor.base, { viewport: { width: 390, height: 844 } });
  await signIn(here, people.traveller.email);
  await signIn(there, people.traveller.email);
  await there.goto('/mes-besoins');
  await there.getByRole('banner').getByText(people.traveller.name).waitFor();

  const everywhere = await fromHeader(here, 'Se déconnecter de tous les appareils', 'button');
  await everywhere.waitFor();
  await audit(here);
  await shoot(here, 'signed-in-header');
  await everywhere.click();
  await here.getByRole('status').getByText('Vous êtes déconnecté(e) de tous vos appareils.').waitFor();
  await here.getByRole('banner').getByRole('link', { name: 'Se connecter' }).waitFor();
  await audit(here);
  await shoot(here, 'signed-out-everywhere');

  await there.reload();
  await there.getByRole('banner').getByRole('link', { name: 'Se connecter' }).waitFor();
  assert.equal(await there.getByRole('banner').getByText(people.traveller.name).count(), 0);
  await there.goto('/mes-besoins');
  assert.match(there.url(), /\/connexion\?suite=%2Fmes-besoins$/);
  await audit(there);
  await here.context().close();
  await there.context().close();
});

test('a committee member votes; before the decision the vote is secret on the need page', async () => {
  const title = 'Tiers-lieu numérique à Saint-Claude';
  const comment = 'Réserve confidentielle : le budget de fonctionnement paraît sous-estimé.';
  const id = await newNeed(title);
  await act(people.officer, id, { action: 'qualify' });
  await act(people.officer, id, { action: 'start_study', due_date: '2099-03-01' });
  const need = await act(people.officer, id, { action: 'submit_study', recommendation: 'go', budget_eur: 85000, summary: 'Le modèle économique tient avec la CAF et la communauté de communes.' });
  assert.equal(need.stage, 'committee');

  const member = await newPage(browser, essor.base);
  await signIn(member, people.member1.email);
  await member.goto('/comite');
  const card = member.locator('article.ballot', { has: member.getByRole('link', { name: title }) });
  await card.waitFor();
  await audit(member);
  await shoot(member, 'committee-pending');
  await card.getByLabel('Approuver l\'expérimentation').check();
  await card.getByLabel('Commentaire').fill(comment);
  await card.getByRole('button', { name: 'Voter' }).click();
  await member.locator('article.ballot').getByText('Votre vote est enregistré.').waitFor();
  await member.getByText('Votre vote : Approuver l\'expérimentation.').waitFor();
  // One vote of two members: still open.
  assert.equal(await member.getByText(/Le comité a décidé/).count(), 0);
  await audit(member);
  await shoot(member, 'committee-voted');
  await member.context().close();

  const other = await newPage(browser, essor.base);
  await signIn(other, people.member2.email);
  await other.goto(`/besoins/${id}`);
  await other.locator('.steps [aria-current="step"]').getByText('Passage en comité de pilotage').waitFor();
  await other.getByText(/Vote en cours : 1 vote exprimé \(quorum/).waitFor();
  const body = await other.locator('main').innerText();
  assert.ok(!body.includes(people.member1.name), 'the voter\'s name shows before the decision');
  assert.ok(!body.includes(comment), 'the voter\'s comment shows before the decision');
  assert.ok(!body.includes('Réserve confidentielle'), 'the voter\'s comment shows before the decision');
  await audit(other);
  await shoot(other, 'need-vote-secret');
  await other.context().close();
});
