// The demo Essor the phone and HTML tests walk: `essor demo` (28 needs at
// every stage, study-actions), plus a call for projects and a Rally'nov
// round dated from today (the demo's own are fixed on the 2026–2027
// calendar), and the main pages of each role that has some.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { isoDay } from './helpers.mjs';

// seedDemo fills a fresh Essor and answers the people and the pages to visit
// as each of them (anonymous: no one signed in).
export async function seedDemo(essor) {
  const people = await essor.demo();
  const tokens = new Map();
  async function api(person, method, path, body) {
    if (!tokens.has(person.email)) {
      const res = await fetch(essor.base + '/api/v1/sessions', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: person.email, password: person.password }),
      });
      assert.equal(res.status, 201, `sign-in of ${person.email} over the API`);
      tokens.set(person.email, (await res.json()).token);
    }
    const headers = { Authorization: `Bearer ${tokens.get(person.email)}`, 'Content-Type': 'application/json' };
    if (method === 'POST') headers['Idempotency-Key'] = randomUUID();
    const res = await fetch(essor.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    assert.ok(res.status < 300, `${method} ${path} → ${res.status}: ${text}`);
    return text ? JSON.parse(text) : null;
  }

  const needs = (await api(people.officer, 'GET', '/api/v1/needs?limit=100')).items;
  const need = (stage) => {
    const n = needs.find((x) => x.stage === stage);
    assert.ok(n, `the demo has a need at stage ${stage}`);
    return `/besoins/${n.id}`;
  };
  const studies = await api(people.officer, 'GET', '/api/v1/study-actions');
  const study = `/fonds-de-confiance/${(studies.items ?? studies)[0].id}`;

  const call = await api(people.officer, 'POST', '/api/v1/calls', {
    title: 'Territoires pour une laverie solidaire',
    description: 'La FCA cherche deux territoires pour expérimenter une laverie solidaire avec un accompagnement social.',
    opens_at: new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z'), closes_at: isoDay(30),
  });
  await api(people.actor, 'POST', `/api/v1/calls/${call.id}/applications`,
    { territory_code: 'ze-dole', motivation: 'La mairie de Dole prête un local et connaît les familles concernées.' });

  const phases = [['characterisation', -60, -50], ['organisation', -45, -30], ['launch', -20, -10],
    ['identification', -5, 30], ['stages', 40, 60], ['closing', 90, 91]]
    .map(([phase, from, to]) => ({ phase, starts_at: isoDay(from), ends_at: isoDay(to) }));
  const round = await api(people.organiser, 'POST', '/api/v1/rally/rounds', {
    title: 'Rally\'nov des tests', phases, categories: ['Emploi et insertion', 'Environnement'],
    criteria: [{ key: 'utilite', label: 'Utilité sociale', weight: 3 }, { key: 'viabilite', label: 'Viabilité économique', weight: 2 }],
  });
  const juror = await api(people.juror, 'GET', '/api/v1/me');
  await api(people.organiser, 'PUT', `/api/v1/rally/rounds/${round.id}/jurors`, { user_ids: [juror.id] });
  await api(people.actor2, 'POST', `/api/v1/rally/rounds/${round.id}/entries`, {
    organisation: 'Centre social de Lure', kind: 'ess', category: 'Emploi et insertion', title: 'Atelier de couture solidaire',
    description: 'Un atelier qui forme et emploie des habitantes du quartier à la retouche et à la couture de vêtements donnés.',
  });

  const year = new Date().getFullYear();
  const pages = {
    anonymous: ['/', '/besoins', need('pilot'), need('deployment'), need('deployed'), need('committee'), need('merged'), need('rejected'), '/indicateurs',
      '/indicateurs/territoires/39', `/indicateurs/rapport/${year}`, '/fonds-de-confiance', study, '/appels', `/appels/${call.id}`,
      '/rallye', `/rallye/${round.id}`, '/connexion'],
    actor: ['/', '/besoins/nouveau', '/mes-besoins', need('pilot'), need('awaiting_info'), '/fonds-de-confiance/candidature',
      `/appels/${call.id}`, `/rallye/${round.id}/candidater`, '/mon-compte/notifications'],
    officer: ['/tableau', '/mes-dossiers', '/fonds-de-confiance/suivi', need('captured'), need('qualified'), need('feasibility'), need('carrier_search'), need('pilot'),
      need('deployment'), '/appels/nouveau', `/appels/${call.id}`, study, '/indicateurs'],
    member1: ['/comite', need('committee'), study, `/appels/${call.id}`],
    organiser: ['/rallye', '/rallye/nouveau', `/rallye/${round.id}`],
    juror: [`/rallye/${round.id}`, `/rallye/${round.id}/jury`],
    admin: ['/admin/comptes', `/admin/comptes/${juror.id}`, `/admin/comptes/${juror.id}/effacer`, '/admin/referentiel', '/admin/envois', '/besoins'],
  };
  return { people, pages };
}
