// Rally'nov in a real browser: an organiser sets up a round (a mistake
// first) and moves it to identification, a company enters, a juror scores
// on the grid, the organiser selects, schedules a stage and awards a
// trophy at the closing; the public round page shows the results. Every
// page passes axe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, isoDay, fromHeader } from './helpers.mjs';

let essor;
let browser;
let people;
let roundURL;
const ROUND = 'Rally\'nov 2027';
const ENTRY = 'Ressourcerie du bois en insertion';

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  people = {
    organiser: essor.addUser('fact@rallye.example', 'Fanny Roux', 'organiser', 'FACT'),
    company: essor.addUser('coop@bois.example', 'Bruno Petit', 'actor', 'Coop Bois'),
    juror: essor.addUser('jury@region.example', 'Jeanne Faure', 'jury', 'Région'),
  };
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

test('the organiser sets up a round and moves it to identification', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.organiser.email);
  await (await fromHeader(page, 'Rally\'nov')).click();
  await page.getByRole('heading', { level: 1, name: /Rally'nov, le rallye/ }).waitFor();
  await audit(page);
  await page.getByRole('link', { name: 'Organiser une nouvelle édition' }).click();
  await audit(page);

  await page.getByLabel('Nom de l\'édition').fill(ROUND);
  const groups = page.locator('fieldset.phase-dates');
  for (let i = 0; i < 6; i++) {
    const g = groups.nth(i);
    await g.getByLabel('Début').fill(isoDay(10 + 30 * i));
    await g.getByLabel('Fin (incluse)').fill(isoDay(20 + 30 * i));
  }
  await groups.nth(2).getByLabel('Début').fill(isoDay(5)); // before the organisation: refused
  await page.getByLabel('Catégories de trophées').fill('Emploi\nHabitat');
  await page.getByRole('button', { name: 'Créer l\'édition' }).click();
  await page.getByRole('alert').getByText(/ne peut pas commencer avant la phase/).waitFor();
  assert.match(await page.title(), /^Erreur : /);
  await audit(page);
  await shoot(page, 'rally-setup-errors');

  await groups.nth(2).getByLabel('Début').fill(isoDay(70));
  await page.getByRole('button', { name: 'Créer l\'édition' }).click();
  await page.waitForURL(/\/rallye\/[0-9a-f-]{36}$/);
  roundURL = new URL(page.url()).pathname;
  await page.getByRole('status').getByText('L\'édition est créée').waitFor();
  await audit(page);
  for (let i = 0; i < 4; i++) {
    await page.getByRole('button', { name: 'Passer à la phase suivante' }).click();
    await page.getByText('Le rallye est passé à la phase suivante.').waitFor();
  }
  await page.locator('[aria-current="step"]').getByText('identification et sélection des projets').waitFor();
  await audit(page);
  await shoot(page, 'rally-round-organiser');
  await page.context().close();
});

test('a company enters the round, with a mistake first', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.company.email);
  await page.goto(roundURL);
  await page.getByRole('link', { name: 'Présenter une innovation' }).click();
  await audit(page);
  await page.getByLabel('Nom de l\'innovation').fill('Bois');
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.getByRole('alert').getByRole('link', { name: /catégorie/ }).waitFor();
  await audit(page);
  await shoot(page, 'rally-enter-errors');
  await page.getByLabel('Nom de l\'innovation').fill(ENTRY);
  await page.getByLabel('entreprise de l\'ESS').check();
  await page.getByLabel('Description').fill('Des personnes en insertion réemploient les chutes de bois des menuiseries du Jura.');
  await page.getByLabel('Catégorie').selectOption('Emploi');
  await page.getByRole('button', { name: 'Déposer la candidature' }).click();
  await page.waitForURL(roundURL);
  await page.getByText('Votre candidature est déposée.').waitFor();
  await page.getByText('en attente de la sélection').waitFor();
  await audit(page);
  await page.context().close();
});

test('a juror scores the entry on the grid', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.juror.email);
  await page.goto(roundURL);
  await page.getByRole('link', { name: 'Candidatures à noter' }).click();
  const card = page.getByRole('article', { name: ENTRY });
  await card.getByLabel(/Utilité sociale/).fill('12');
  await card.getByLabel(/Caractère innovant/).fill('7');
  await card.getByLabel(/Viabilité économique/).fill('6');
  await card.getByRole('button', { name: 'Enregistrer ma fiche' }).click();
  await page.getByRole('alert').getByText(/entre 0 et 10/).waitFor();
  await audit(page);
  await page.getByRole('article', { name: ENTRY }).getByLabel(/Utilité sociale/).fill('9');
  await page.getByRole('article', { name: ENTRY }).getByRole('button', { name: 'Enregistrer ma fiche' }).click();
  await page.getByText('Votre fiche de notation est enregistrée.').waitFor();
  await page.getByText('Votre note pondérée : 7,83 / 10').waitFor();
  await audit(page);
  await shoot(page, 'rally-jury');
  await page.context().close();
});

test('the organiser selects, schedules a stage and awards the trophy; the public sees the results', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.organiser.email);
  await page.goto(roundURL);
  await page.getByRole('cell', { name: /7,83/ }).waitFor();
  await page.getByLabel('Nombre de projets à sélectionner').fill('3');
  await page.getByRole('button', { name: 'Faire la sélection' }).click();
  await page.getByText('La sélection est faite ; la notation est close.').waitFor();
  await page.getByLabel('Lieu').fill('Dole, salle Pasteur');
  await page.getByLabel('Jour').fill(isoDay(135));
  await page.getByLabel(ENTRY).check();
  await page.getByRole('button', { name: 'Programmer l\'étape' }).click();
  await page.getByText('L\'étape est programmée.').waitFor();
  await audit(page);
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: 'Passer à la phase suivante' }).click();
    await page.getByText('Le rallye est passé à la phase suivante.').waitFor();
  }
  await page.getByLabel('Catégorie').selectOption('Emploi');
  await page.getByLabel('Projet lauréat').selectOption({ label: ENTRY });
  await page.getByRole('button', { name: 'Décerner le trophée' }).click();
  await page.getByText('Le trophée est décerné.').waitFor();
  await audit(page);
  await shoot(page, 'rally-closing');
  await page.context().close();

  const anon = await newPage(browser, essor.base);
  await anon.goto(roundURL);
  await anon.getByRole('heading', { level: 2, name: 'Résultats' }).waitFor();
  await anon.getByText(new RegExp(`Emploi\\s*:\\s*${ENTRY}`)).waitFor();
  await anon.getByText(/Dole, salle Pasteur/).first().waitFor();
  await audit(anon);
  await shoot(anon, 'rally-public');
  const ics = await anon.request.get(roundURL.replace('/rallye/', '/api/v1/rally/rounds/') + '/calendar.ics');
  assert.equal(ics.status(), 200);
  assert.match(await ics.text(), /^BEGIN:VCALENDAR\r\n/);
  await anon.context().close();
});
