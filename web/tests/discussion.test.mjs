// The discussion on a need and the e-mail notification pages, in a real
// browser: an actor comments (a mistake first) and mentions the officer,
// the officer writes an internal note and hides an abusive comment, an
// anonymous visitor sees the public comments without names, the actor
// chooses how they get e-mails, and an admin sees what waits in the outbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startEssor, launchBrowser, newPage, audit, shoot, signIn, fromHeader, PASSWORD } from './helpers.mjs';

let essor;
let browser;
let people;
let needURL;

before(async () => {
  essor = await startEssor();
  browser = await launchBrowser();
  people = {
    actor: essor.addUser('mairie@dole.example', 'Sophie Martin', 'actor', 'Mairie de Dole'),
    actor2: essor.addUser('centre@dole.example', 'Karim Benali', 'actor', 'Centre social de Dole'),
    officer: essor.addUser('claire@fca.example', 'Claire Dubois', 'officer', 'FCA'),
    admin: essor.addUser('admin@essor.example', 'Admin Essor', 'admin', 'Essor'),
  };
  const res = await fetch(essor.base + '/api/v1/sessions', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: people.actor.email, password: PASSWORD }),
  });
  const { token } = await res.json();
  const need = await fetch(essor.base + '/api/v1/needs', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, 'Idempotency-Key': randomUUID() },
    body: JSON.stringify({
      title: 'Navette solidaire vers la gare de Dole',
      description: 'Les habitants des villages sans voiture ne peuvent plus rejoindre la gare le matin.',
      theme: 'mobility', territory_code: '39',
    }),
  });
  assert.equal(need.status, 201);
  needURL = '/besoins/' + (await need.json()).id;
});

after(async () => {
  await browser?.close();
  await essor?.stop();
});

test('an actor comments on a need, a mistake first, and mentions the officer', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.actor2.email);
  await page.goto(needURL);
  const discussion = page.getByRole('region', { name: 'Discussion' });
  await discussion.getByText('Personne n’a encore écrit ici.'.replace('’', "'")).waitFor();
  await discussion.getByRole('button', { name: 'Publier' }).click();
  await page.getByRole('alert').getByText('Le champ « Message » est obligatoire.').waitFor();
  assert.match(await page.title(), /^Erreur : /);
  await audit(page);

  await page.getByLabel('Votre message').fill('Nous avons deux chauffeurs bénévoles. @claire.dubois, pouvons-nous en parler ?');
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.waitForURL(/#discussion$/);
  await page.getByRole('status').getByText('Votre commentaire est publié.').waitFor();
  await discussion.locator('.prose', { hasText: 'Nous avons deux chauffeurs bénévoles.' }).waitFor();
  await discussion.locator('li.comment strong', { hasText: 'Karim Benali' }).waitFor();
  await discussion.locator('summary', { hasText: 'Modifier' }).waitFor();
  await audit(page);
  await shoot(page, 'discussion');

  await page.getByLabel('Votre message').fill('Propos déplacés envers la mairie.');
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.waitForURL(/#discussion$/);
  await page.context().close();
});

test('the officer writes an internal note and hides an abusive comment, with a reason', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.officer.email);
  await page.goto(needURL);
  await page.getByLabel('Votre message').fill('À présenter au prochain comité.');
  await page.getByLabel('Note interne').check();
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.waitForURL(/#discussion$/);
  const note = page.locator('li.comment', { hasText: 'À présenter au prochain comité.' });
  await note.getByText('Note interne').waitFor();

  const abusive = page.locator('li.comment', { hasText: 'Propos déplacés' });
  await abusive.locator('summary', { hasText: 'Masquer' }).click();
  await abusive.getByRole('button', { name: 'Masquer ce commentaire' }).click();
  await page.getByRole('alert').first().waitFor();
  await audit(page);
  const again = page.locator('li.comment', { hasText: 'Propos déplacés' });
  await again.getByLabel('Motif du masquage').fill('Propos injurieux envers une collectivité.');
  await again.getByRole('button', { name: 'Masquer ce commentaire' }).click();
  await page.waitForURL(/#discussion$/);
  await page.getByText('Commentaire masqué par un chargé de mission.').waitFor();
  await audit(page);
  await page.context().close();
});

test('an anonymous visitor sees the public comments without names', async () => {
  const page = await newPage(browser, essor.base);
  await page.goto(needURL);
  const discussion = page.getByRole('region', { name: 'Discussion' });
  await discussion.getByText('Un participant').first().waitFor();
  await discussion.getByText('Connectez-vous pour participer à la discussion.').waitFor();
  const text = await discussion.innerText();
  assert.ok(!text.includes('Karim Benali'), 'no names for anonymous visitors');
  assert.ok(!text.includes('À présenter au prochain comité.'), 'no internal notes');
  assert.ok(!text.includes('Propos déplacés'), 'hidden comments stay hidden');
  await audit(page);
  await page.context().close();
});

test('a person chooses how they get each kind of e-mail', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.actor.email);
  await (await fromHeader(page, 'Mes notifications')).click();
  await page.waitForURL(/\/mon-compte\/notifications$/);
  await page.getByRole('heading', { level: 1, name: 'Mes notifications par e-mail' }).waitFor();
  await audit(page);
  await shoot(page, 'notifications');
  const mentioned = page.getByRole('group', { name: 'On me mentionne dans une discussion' });
  await mentioned.getByLabel('Tout de suite').check();
  const supports = page.getByRole('group', { name: 'Un de mes besoins reçoit un soutien' });
  await supports.getByLabel('Jamais').check();
  await page.getByLabel('Langue des e-mails').selectOption('en');
  await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
  await page.getByRole('status').getByText('Vos choix sont enregistrés.').waitFor();
  assert.equal(await mentioned.getByLabel('Tout de suite').isChecked(), true);
  assert.equal(await supports.getByLabel('Jamais').isChecked(), true);
  assert.equal(await page.getByLabel('Langue des e-mails').inputValue(), 'en');
  await audit(page);
  await page.context().close();
});

test('an admin sees the messages waiting in the outbox', async () => {
  const page = await newPage(browser, essor.base);
  await signIn(page, people.admin.email);
  await (await fromHeader(page, 'Envois')).click();
  await page.waitForURL(/\/admin\/envois$/);
  await page.getByText('Aucun serveur SMTP n’est configuré'.replace('’', "'"), { exact: false }).waitFor();
  await page.getByRole('row', { name: /Sophie Martin.*On commente un de mes besoins.*En attente/ }).first().waitFor();
  await page.getByRole('row', { name: /Claire Dubois.*On me mentionne/ }).first().waitFor();
  await audit(page);
  await shoot(page, 'outbox');
  await page.getByRole('link', { name: /^En attente/ }).click();
  await page.waitForURL(/status=pending$/);
  await audit(page);
  await page.context().close();
});
