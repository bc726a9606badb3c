// The Fonds de confiance in a real browser: a host company applies (with a
// mistake first), an officer appraises it, a committee member approves it
// on the shared committee page, the officer records the recruitment, the
// host company hands in its first report, and the public programme page
// shows the figures. Every page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, isoDay, openAction } from './helpers.mjs';

let essor;
let browser;
let people;
let studyURL;
const TITLE = 'Recyclerie de meubles à Lons-le-Saunier';

before(async () => {
  essor = await startEssor({ ESSOR_COMMITTEE_QUORUM: '1' });
  browser = await launchBrowser();
  people = {
    host: essor.addUser('direction@menuiserie.example', 'Hélène Dupont', 'actor', 'Menuiserie Dupont'),
    officer: essor.addUser('marc@cress.example', 'Marc Petit', 'officer', 'CRESS'),
    member: essor.addUser('cdc@comite.example', 'Lucie Roux', 'committee', 'Caisse des dépôts'),
  };
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

test('a host company applies, with a mistake first', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.host.email);
  await page.goto('/fonds-de-confiance');
  await page.getByRole('heading', { level: 1, name: 'Fonds de confiance' }).waitFor();
  await audit(page);
  await page.getByRole('link', { name: 'Déposer une candidature' }).first().click();
  await page.waitForURL(/\/fonds-de-confiance\/candidature$/);
  assert.equal(await page.getByLabel("Entreprise d'accueil", { exact: true }).inputValue(), 'Menuiserie Dupont');
  await page.getByLabel('Intitulé du projet', { exact: true }).fill(TITLE);
  await page.getByLabel('Présentation du projet', { exact: true }).fill('Une recyclerie de meubles portée par une entrepreneuse sociale accueillie dans nos ateliers.');
  await page.getByLabel('Parrain', { exact: true }).fill('Réseau des entrepreneurs sociaux du Jura');
  await page.getByLabel("Durée de l'étude-action", { exact: true }).selectOption('6');
  // The Region left out: refused, with the message beside the plan.
  await page.locator('#funder_name-1').fill('Caisse des dépôts');
  await page.locator('#funder_amount-1').fill('15 000');
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.getByRole('alert').getByText(/la Région parmi les financeurs/).waitFor();
  await audit(page);
  await shoot(page, 'fund-apply-errors');
  await page.locator('#funder_name-0').fill('Région Bourgogne-Franche-Comté');
  await page.locator('#funder_amount-0').fill('20 000');
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.waitForURL(/\/fonds-de-confiance\/[0-9a-f-]{36}$/);
  studyURL = new URL(page.url()).pathname;
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.getByText('0,75 € apportés par euro de la Région').waitFor();
  await audit(page);
  await shoot(page, 'fund-study');
  await page.context().close();
});

test('an officer appraises it from the follow-up page', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto('/fonds-de-confiance/suivi');
  await audit(page);
  await page.getByRole('link', { name: TITLE }).click();
  const form = await openAction(page, "Rendre l'avis d'instruction");
  await form.getByLabel('Avis favorable', { exact: true }).check();
  await form.getByLabel('Avis motivé', { exact: true }).fill("Profil solide, motivation claire de l'hôte, calendrier tenable.");
  await form.getByRole('button', { name: "Rendre l'avis" }).click();
  await page.waitForURL(/#historique$/);
  await page.getByText("L'avis est rendu").waitFor();
  await audit(page);
  await page.context().close();
});

test('a committee member approves it on the shared committee page', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.member.email);
  await page.goto('/comite');
  const card = page.locator('article.ballot', { hasText: TITLE });
  await card.getByText('Fonds de confiance').waitFor();
  await audit(page);
  await card.getByLabel("Accorder l'étude-action", { exact: true }).check();
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/vote') && r.request().method() === 'POST'),
    card.getByRole('button', { name: /Voter/ }).click(),
  ]);
  await shoot(page, 'fund-committee');
  await page.getByRole('status').getByText(/Accorder|Approuver|décision/i).first().waitFor();
  await page.goto(studyURL);
  await page.getByText('Recrutement du porteur').first().waitFor();
  await page.context().close();
});

test('the officer records the recruitment and the host hands in a report', async () => {
  const office = await newPage(browser, essor.base);
  await signIn(office, people.officer.email);
  await office.goto(studyURL);
  const form = await openAction(office, 'Enregistrer le recrutement');
  await form.getByLabel('Porteur recruté', { exact: true }).fill('Nora Benali');
  await form.getByLabel('Date de début', { exact: true }).fill(isoDay(0));
  await form.getByRole('button', { name: 'Enregistrer', exact: true }).click();
  await office.getByText('Le recrutement est enregistré').waitFor();
  await office.getByText('Étude-action en cours').first().waitFor();
  await office.context().close();

  const page = await newPage(browser, essor.base);
  await signIn(page, people.host.email);
  await page.goto(studyURL);
  const report = await openAction(page, 'Remettre un rapport mensuel');
  await report.getByLabel('Rapport', { exact: true }).fill("Premier mois : étude de marché, local trouvé, premiers partenaires.");
  await report.getByRole('button', { name: 'Remettre le rapport' }).click();
  await page.getByText('Le rapport est remis.').waitFor();
  await page.getByRole('heading', { name: 'Mois 1' }).waitFor();
  await audit(page);
  await shoot(page, 'fund-report');
  await page.context().close();
});

test('the public programme page shows the figures and the study-action', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto('/fonds-de-confiance');
  await page.getByRole('table', { name: 'Études-actions par étape' }).waitFor();
  await page.getByRole('link', { name: TITLE }).waitFor();
  await audit(page);
  await shoot(page, 'fund-programme');
  await page.goto(studyURL);
  assert.equal(await page.getByText('Nora Benali').count() > 0, true);
  assert.equal(await page.getByText("Premier mois : étude de marché").count(), 0, 'reports are for signed-in people');
  await page.context().close();
});
