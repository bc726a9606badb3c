// The emergence pipeline in a real browser: an actor reports a need (with a
// mistake first), an officer takes it to the committee, two members vote,
// and the project's page shows the decision and the whole timeline.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, isoDay, openAction } from './helpers.mjs';

let essor;
let browser;
let people;
const TITLE = 'Garde d’enfants en horaires décalés à Dole';
let needURL;

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  people = {
    actor: essor.addUser('mairie@dole.example', 'Sophie Martin', 'actor', 'Mairie de Dole'),
    actor2: essor.addUser('centre@dole.example', 'Karim Benali', 'actor', 'Centre social de Dole'),
    officer: essor.addUser('claire@fca.example', 'Claire Dubois', 'officer', 'FCA'),
    member1: essor.addUser('region@comite.example', 'Anne Morel', 'committee', 'Région'),
    member2: essor.addUser('etat@comite.example', 'Paul Girard', 'committee', 'État'),
    admin: essor.addUser('admin@essor.example', 'Admin Essor', 'admin', 'Essor'),
  };
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

test('home page, anonymous', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto('/');
  assert.equal(await page.getAttribute('html', 'lang'), 'fr');
  await page.getByRole('heading', { level: 1, name: /Des besoins du territoire/ }).waitFor();
  await audit(page);
  await shoot(page, 'home');
  await page.context().close();
});

test('an actor signs in, reports a need with a mistake, fixes it and sees it listed', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto('/besoins/nouveau');
  assert.match(page.url(), /\/connexion\?suite=%2Fbesoins%2Fnouveau$/);
  await audit(page);
  await shoot(page, 'signin');

  await page.getByLabel('Adresse e-mail').fill(people.actor.email);
  await page.getByLabel('Mot de passe').fill('pas le bon mot de passe');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByRole('alert').getByText('Adresse e-mail ou mot de passe incorrect.').waitFor();
  assert.match(await page.title(), /^Erreur : /);
  await audit(page);

  await signIn(page, people.actor.email);
  assert.match(page.url(), /\/besoins\/nouveau$/);
  await audit(page);

  await page.getByLabel('Titre du besoin').fill('Gar');
  await page.getByLabel('Territoire').selectOption('39');
  await page.getByLabel('Description').fill('Les parents qui travaillent en horaires décalés (hôpital, industrie) n’ont aucune solution de garde avant 7 h ni après 19 h.');
  await page.getByLabel('Thématique').selectOption('early_childhood');
  await page.getByLabel('Nombre estimé de bénéficiaires').fill('120');
  await shoot(page, 'submit');
  await page.getByRole('button', { name: 'Remonter ce besoin' }).click();

  const title = page.getByLabel('Titre du besoin');
  await page.locator('#need-title-error').getByText('au moins 5 caractères').waitFor();
  assert.equal(await title.getAttribute('aria-invalid'), 'true');
  assert.match(await title.getAttribute('aria-describedby'), /need-title-error/);
  assert.match(await page.getByLabel('Description').inputValue(), /horaires décalés/);
  assert.equal(await page.getByLabel('Territoire').inputValue(), '39');
  await page.getByRole('alert').getByRole('link', { name: /titre/ }).waitFor();
  await audit(page);
  await shoot(page, 'submit-errors');

  await title.fill(TITLE);
  await page.getByRole('button', { name: 'Remonter ce besoin' }).click();
  await page.waitForURL(/\/besoins\/[0-9a-f-]{36}$/);
  needURL = new URL(page.url()).pathname;
  await page.getByRole('status').getByText('Votre besoin a bien été remonté').waitFor();
  await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await page.locator('.steps [aria-current="step"]').getByText('Besoin remonté').waitFor();
  await audit(page);

  await page.getByRole('link', { name: 'Besoins et projets' }).first().click();
  await page.getByRole('link', { name: TITLE }).waitFor();
  await audit(page);
  // Search as you type (htmx) narrows the list without a page load.
  await page.getByLabel('Rechercher', { exact: true }).fill('piscine municipale');
  await page.getByText('Aucun besoin ne correspond à cette recherche.').waitFor();
  await page.getByLabel('Rechercher', { exact: true }).fill('garde enfant');
  await page.getByRole('link', { name: TITLE }).waitFor();
  assert.match(page.url(), /q=garde/);
  await page.locator('#filter-territory').selectOption('39');
  await page.getByRole('link', { name: TITLE }).waitFor();
  await audit(page);
  await shoot(page, 'needs');

  await page.goto('/mes-besoins');
  await page.getByRole('link', { name: TITLE }).waitFor();
  await audit(page);
  await page.context().close();
});

test('a second actor sees the similar need while typing a title', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.actor2.email);
  await page.goto('/besoins/nouveau');
  await page.getByLabel('Territoire').selectOption('39');
  await page.getByLabel('Titre du besoin').pressSequentially('Garde d’enfants en horaires décalés', { delay: 10 });
  await page.locator('#similaires').getByRole('link', { name: new RegExp(TITLE.slice(0, 20)) }).waitFor();
  await audit(page);
  await shoot(page, 'submit-similar');
  // The project page offers to support the need instead.
  await page.goto(needURL);
  await page.getByRole('button', { name: 'Soutenir ce besoin au nom de mon organisation' }).click();
  await page.getByText('Votre organisation soutient désormais ce besoin.').waitFor();
  await page.getByText('1 organisation soutient ce besoin.').waitFor();
  await audit(page);
  await page.context().close();
});

test('an officer qualifies the need and takes it to the committee', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  assert.match(page.url(), /\/tableau$/);
  const column = page.getByRole('region', { name: /Besoin remonté/ });
  await column.getByRole('link', { name: TITLE }).waitFor();
  await audit(page);
  await shoot(page, 'board');

  await column.getByRole('link', { name: TITLE }).click();
  await page.waitForURL(needURL);
  await audit(page);
  await openAction(page, 'Qualifier le besoin');
  await page.getByRole('button', { name: 'Qualifier', exact: true }).click();
  await page.getByText('Le besoin est qualifié.').waitFor();
  await page.locator('.steps [aria-current="step"]').getByText('Besoin qualifié').waitFor();
  await audit(page);

  // A mistake in an action's form comes back beside its field.
  await openAction(page, 'Lancer l\'étude de faisabilité');
  await page.getByRole('button', { name: 'Lancer l\'étude', exact: true }).click();
  await page.locator('#start_study-due_date-error').getByText('obligatoire').waitFor();
  assert.equal(await page.locator('#start_study-due_date').getAttribute('aria-invalid'), 'true');
  await audit(page);
  await page.locator('#start_study-due_date').fill(isoDay(150));
  await page.getByRole('button', { name: 'Lancer l\'étude', exact: true }).click();
  await page.getByText('L\'étude de faisabilité est lancée.').waitFor();

  await openAction(page, 'Remettre l\'étude au comité');
  await page.getByLabel('Favorable (go)').check();
  await page.getByLabel('Budget proposé pour l\'expérimentation').fill('45 000,50');
  await page.getByLabel('Synthèse de l\'étude').fill('Besoin confirmé par 120 familles ; modèle mixte crèche associative et employeurs ; deux porteurs possibles.');
  await page.getByRole('button', { name: 'Remettre l\'étude', exact: true }).click();
  await page.getByText('L\'étude est remise').waitFor();
  await page.locator('.steps [aria-current="step"]').getByText('Passage en comité de pilotage').waitFor();
  await audit(page);
  await shoot(page, 'need-officer');
  await page.context().close();
});

test('two committee members vote and the project page shows the decision and the timeline', async () => {
  const first = await newPage(browser, essor.base);
  await signIn(first, people.member1.email);
  assert.match(first.url(), /\/comite$/);
  const card = first.locator('article.ballot', { has: first.getByRole('link', { name: TITLE }) });
  await card.waitFor();
  await audit(first);
  await card.getByLabel('Approuver l\'expérimentation').check();
  await card.getByRole('button', { name: 'Voter' }).click();
  await first.locator('article.ballot').getByText('Votre vote est enregistré.').waitFor();
  await first.getByText('Votre vote : Approuver l\'expérimentation.').waitFor();
  await audit(first);
  await shoot(first, 'committee');

  const second = await newPage(browser, essor.base);
  await signIn(second, people.member2.email);
  const card2 = second.locator('article.ballot', { has: second.getByRole('link', { name: TITLE }) });
  await card2.getByLabel('Approuver l\'expérimentation').check();
  await card2.getByRole('button', { name: 'Voter' }).click();
  await second.getByText('Le comité a décidé : Approuver l\'expérimentation.').waitFor();
  await audit(second);
  await second.context().close();
  await first.context().close();

  const anon = await newPage(browser, essor.base);
  await anon.goto(needURL);
  await anon.locator('.steps [aria-current="step"]').getByText('Recherche d\'un porteur').waitFor();
  const committee = anon.getByRole('region', { name: 'Décisions du comité de pilotage' });
  await committee.getByRole('heading', { name: /Décision n° 1 : Approuver l'expérimentation/ }).waitFor();
  const timeline = anon.locator('#historique');
  for (const entry of ['Besoin remonté', 'Soutien', 'Besoin qualifié', 'Lancement de l\'étude', 'Remise de l\'étude', 'Vote du comité', 'Décision du comité']) {
    await timeline.getByText(entry, { exact: true }).first().waitFor();
  }
  await timeline.getByText('Essor (automatique)').waitFor();
  await audit(anon);
  await shoot(anon, 'need-decided');
  await anon.context().close();
});

test('the officer runs the pilot with its indicators, evaluates it and records the outcome', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto(needURL);
  await page.getByText('Budget approuvé par le comité').waitFor();

  await openAction(page, 'Proposer un porteur');
  await page.locator('#propose_carrier-organisation').fill('Crèche Les Lucioles');
  await page.locator('#propose_carrier-contact').fill('direction@lucioles.example');
  await page.locator('#propose_carrier-motivation').fill('Nous ouvrons déjà le samedi et pouvons recruter deux personnes.');
  await page.getByRole('button', { name: 'Proposer ce porteur', exact: true }).click();
  await page.getByText('Le porteur a été proposé.').waitFor();

  // Over the approved budget: refused beside the field, the indicators kept.
  await openAction(page, 'Lancer l\'expérimentation');
  await page.locator('#start_pilot-carrier_id-0').check();
  await page.locator('#start_pilot-territories-0').check();
  await page.locator('#start_pilot-start_date').fill(isoDay(30));
  await page.locator('#start_pilot-end_date').fill(isoDay(395));
  await page.locator('#start_pilot-budget_eur').fill('60 000');
  await page.locator('#start_pilot-indicator_key-0').fill('familles');
  await page.locator('#start_pilot-indicator_label-0').fill('Familles accueillies');
  await page.locator('#start_pilot-indicator_target-0').fill('40');
  await page.getByRole('button', { name: 'Lancer l\'expérimentation', exact: true }).click();
  await page.locator('#start_pilot-budget_eur-error').getByText('dépasse le budget approuvé').waitFor();
  assert.equal(await page.locator('#start_pilot-indicator_label-0').inputValue(), 'Familles accueillies');
  await audit(page);
  await page.locator('#start_pilot-budget_eur').fill('45 000,50');
  await page.getByRole('button', { name: 'Lancer l\'expérimentation', exact: true }).click();
  await page.getByText('L\'expérimentation est lancée.').waitFor();

  await openAction(page, 'Enregistrer une mesure');
  await page.locator('#record_indicator-key').selectOption('familles');
  await page.locator('#record_indicator-value').fill('12,5');
  await page.getByRole('button', { name: 'Enregistrer la mesure', exact: true }).click();
  await page.getByText('La mesure est enregistrée.').waitFor();
  await page.getByRole('table', { name: 'Indicateurs' }).getByText('12,5').waitFor();
  await audit(page);

  await openAction(page, 'Passer au déploiement');
  await page.locator('#deploy-result_value-0').fill('38');
  await page.getByLabel('Enseignements').fill('Le samedi matin concentre la demande ; deux salariées suffisent.');
  await page.getByLabel('Arrêter', { exact: true }).check();
  await page.locator('#deploy-territories-0').check();
  await page.getByRole('button', { name: 'Passer au déploiement', exact: true }).click();
  await page.getByText('utilisez « Abandonner le projet »').first().waitFor();
  await audit(page);
  await page.getByLabel('Adapter puis déployer').check();
  await page.getByRole('button', { name: 'Passer au déploiement', exact: true }).click();
  await page.getByText('Le projet passe au déploiement.').waitFor();

  await openAction(page, 'Marquer le projet comme déployé');
  await page.getByLabel('Nom de la structure porteuse').fill('SCIC Les Lucioles');
  await page.getByLabel('Forme juridique').selectOption('scic');
  await page.getByLabel('SIRET').fill('1234');
  await page.getByLabel('Créée pour le projet').check();
  await page.getByLabel('Emplois créés').fill('2,5');
  await page.locator('#complete-funder_kind-0').selectOption('region');
  await page.locator('#complete-funder_name-0').fill('Région');
  await page.locator('#complete-funder_amount-0').fill('30 000');
  await page.getByRole('button', { name: 'Marquer comme déployé', exact: true }).click();
  await page.locator('#complete-structure\\.siret-error').waitFor();
  await audit(page);
  await page.getByLabel('SIRET').fill('');
  await page.getByRole('button', { name: 'Marquer comme déployé', exact: true }).click();
  await page.getByText('Le projet est déployé.').waitFor();
  const outcome = page.getByRole('region', { name: 'Résultat du projet' });
  await outcome.getByText('SCIC Les Lucioles').waitFor();
  await outcome.getByText('30\u202f000,00\u00a0€').first().waitFor();
  await audit(page);
  await shoot(page, 'need-deployed');
  await page.context().close();
});

test('an admin adds an account, a mistake first', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.admin.email);
  assert.match(page.url(), /\/admin\/comptes$/);
  await page.getByRole('cell', { name: people.officer.email }).waitFor();
  await page.getByLabel('Nom', { exact: true }).fill('Lucie Perrin');
  await page.getByLabel('Adresse e-mail').fill('lucie@cress.example');
  await page.getByLabel('Chargé(e) de mission').check();
  await page.getByLabel('Mot de passe').fill('court');
  await page.getByRole('button', { name: 'Créer le compte' }).click();
  await page.locator('#account-password-error').getByText('au moins 10 caractères').waitFor();
  await audit(page);
  await page.getByLabel('Mot de passe').fill('un mot de passe assez long');
  await page.getByRole('button', { name: 'Créer le compte' }).click();
  await page.getByText('Le compte a été créé.').waitFor();
  await page.getByRole('cell', { name: 'lucie@cress.example' }).waitFor();
  await audit(page);
  await shoot(page, 'accounts');
  await page.context().close();
});

test('refusals: a role that may not see a page, an unknown page, English', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.actor.email);
  let res = await page.goto('/tableau');
  assert.equal(res.status(), 403);
  await page.getByRole('heading', { level: 1, name: 'Accès refusé' }).waitFor();
  await audit(page);
  await shoot(page, 'forbidden');
  res = await page.goto('/cette-page-nexiste-pas');
  assert.equal(res.status(), 404);
  await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
  await audit(page);

  await page.goto(needURL);
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForURL(needURL);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.getByRole('heading', { name: 'History' }).waitFor();
  await audit(page);
  await shoot(page, 'need-english');
  await page.getByRole('button', { name: 'Français' }).click();
  await page.getByRole('heading', { name: 'Historique' }).waitFor();
  await page.context().close();
});
