package demo

import "essor/internal/domain"

// demoNeed is a need of the demo and the stage it is taken to.
type demoNeed struct {
	title, description, theme, territory string
	by, organisation                     string // the demo actor who submits it (acteur, acteur2)
	beneficiaries                        int
	stage                                domain.Stage
	supported                            bool     // the other actor's organisation supports it
	into                                 int      // merged: the index of the need it joins
	carrier                              string   // from carrier search on
	spread                               []string // deployment: where the model spreads
}

// demoNeeds come from the region's ESS plan (Axe 3, "projets sans porteurs"):
// a few at each stage, across the four départements and their zones.
var demoNeeds = []demoNeed{
	{title: "Crèche à horaires décalés pour les soignants", theme: "early_childhood", territory: "ze-dole", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 60,
		description: "Les infirmières et aides-soignantes du centre hospitalier commencent à 6 h ou finissent à 21 h : aucune crèche du bassin doleois ne les accueille à ces heures, et plusieurs renoncent à reprendre leur poste après un congé maternel.",
		stage:       domain.StageDeployed, supported: true, carrier: "SCIC Petits Pas Jurassiens", spread: []string{"ze-lons", "ze-besancon"}},
	{title: "Transport solidaire des aînés vers les soins", theme: "mobility", territory: "39", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 180,
		description: "Dans les villages du Jura, des personnes âgées sans voiture ne peuvent plus se rendre chez le médecin ou à la pharmacie ; le car ne passe que deux fois par semaine et les taxis sont hors de prix.",
		stage:       domain.StageDeployment, supported: true, carrier: "Association Roule Solidaire", spread: []string{"70", "ze-saint-claude"}},
	{title: "Épicerie solidaire itinérante en Haute-Saône", theme: "food", territory: "ze-lure", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 250,
		description: "Le dernier commerce de plusieurs communes autour de Lure a fermé ; les familles aux revenus modestes font vingt kilomètres pour s'approvisionner et renoncent aux produits frais. Une épicerie solidaire en camion passerait chaque semaine.",
		stage:       domain.StagePilot, carrier: "Épicerie Mobile des Vosges Saônoises"},
	{title: "Habitat partagé pour seniors autonomes", theme: "housing", territory: "25", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 24,
		description: "Des retraités isolés dans de grandes maisons du Doubs souhaitent vivre ensemble dans un habitat partagé, avec une hôtesse de maison, plutôt que d'entrer en établissement ; aucun opérateur ne le propose sur le département.",
		stage:       domain.StagePilot, supported: true, carrier: "Habitat et Humanisme Doubs"},
	{title: "Garage solidaire pour les salariés en insertion", theme: "mobility", territory: "ze-belfort", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 300,
		description: "Les salariés en insertion du nord Franche-Comté perdent leur emploi quand leur voiture tombe en panne : les réparations coûtent plus qu'un mois de salaire. Un garage solidaire à prix coûtant, avec prêt de véhicule, manque sur le territoire.",
		stage:       domain.StageCarrierSearch, carrier: "Chantier d'insertion Mécanique du Lion"},
	{title: "Recyclerie et atelier de réparation d'électroménager", theme: "environment", territory: "ze-vesoul", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 500,
		description: "Les déchetteries du bassin vésulien reçoivent chaque semaine des appareils réparables ; aucune recyclerie ne les remet en état ni ne forme des personnes éloignées de l'emploi à la réparation.",
		stage:       domain.StageCarrierSearch, supported: true, carrier: "Ressourcerie du Val de Saône"},
	{title: "Conciergerie rurale de services à la personne", theme: "ageing", territory: "ze-pontarlier", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 140,
		description: "Dans le Haut-Doubs, les aides à domicile manquent et les démarches administratives se font en ligne : une conciergerie rurale regrouperait petits travaux, courses et accompagnement numérique pour les personnes âgées.",
		stage:       domain.StageCommittee},
	{title: "Tiers-lieu nourricier et cuisine partagée", theme: "food", territory: "ze-besancon", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 400,
		description: "Des producteurs en circuits courts et des associations de quartier de Besançon cherchent une cuisine partagée pour transformer les invendus et proposer des repas à prix libre aux étudiants et aux familles modestes.",
		stage:       domain.StageCommittee, supported: true},
	{title: "Plateforme de covoiturage pour les saisonniers", theme: "employment", territory: "ze-morteau", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 220,
		description: "Les saisonniers de l'horlogerie et du tourisme du Haut-Doubs n'ont pas de transport aux horaires de leurs postes ; les employeurs peinent à recruter faute de solution de mobilité partagée.",
		stage:       domain.StageFeasibility},
	{title: "Rénovation énergétique par l'auto-réhabilitation accompagnée", theme: "energy", territory: "70", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 90,
		description: "Des propriétaires modestes de Haute-Saône vivent dans des passoires thermiques et n'ont pas les moyens de payer une entreprise ; des chantiers d'auto-réhabilitation encadrés par des compagnons réduiraient leur facture de chauffage.",
		stage:       domain.StageFeasibility, supported: true},
	{title: "Café des aidants familiaux", theme: "health", territory: "90", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 75,
		description: "Les aidants de proches atteints de maladies neurodégénératives dans le Territoire de Belfort s'épuisent sans lieu pour souffler ni parler de leur quotidien ; un café des aidants avec un temps de répit manque.",
		stage:       domain.StageFeasibility},
	{title: "Laverie solidaire avec accompagnement social", theme: "poverty", territory: "ze-belfort", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 160,
		description: "Des personnes sans domicile stable ou en hébergement d'urgence ne peuvent pas laver leur linge ; une laverie solidaire serait aussi un lieu d'accès aux droits avec une travailleuse sociale.",
		stage:       domain.StageQualified},
	{title: "Atelier vélo et prêt de vélos à assistance électrique", theme: "mobility", territory: "ze-lons", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 130,
		description: "Autour de Lons-le-Saunier, des demandeurs d'emploi sans permis ne peuvent pas se rendre aux entretiens ; un atelier vélo prêterait et réparerait des vélos à assistance électrique.",
		stage:       domain.StageQualified, supported: true},
	{title: "Soutien scolaire numérique en zone rurale", theme: "discrimination", territory: "ze-saint-claude", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 85,
		description: "Les collégiens des communes isolées du Haut-Jura n'ont ni connexion correcte ni aide aux devoirs ; un service itinérant de soutien scolaire avec du matériel prêté réduirait le décrochage.",
		stage:       domain.StageQualified},
	{title: "Maison de santé participative", theme: "health", territory: "ze-gray", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 1200,
		description: "Le bassin de Gray a perdu trois médecins en deux ans ; les habitants, les élus et des soignants veulent créer une maison de santé gérée en coopérative, avec des consultations avancées.",
		stage:       domain.StageAwaitingInfo},
	{title: "Ferme d'insertion en maraîchage biologique", theme: "employment", territory: "39", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 20,
		description: "Des jeunes sortis sans qualification du système scolaire cherchent un premier emploi ; une ferme maraîchère d'insertion fournirait aussi les cantines du secteur en légumes biologiques locaux.",
		stage:       domain.StageAwaitingInfo, supported: true},
	{title: "Accueil de jour pour jeunes en errance", theme: "poverty", territory: "25", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 70,
		description: "À Besançon, des jeunes de 18 à 25 ans sans ressources passent la journée dehors ; aucun accueil de jour ne leur est destiné, avec douche, repas et orientation vers l'emploi.",
		stage:       domain.StageCaptured, supported: true},
	{title: "Baby-sitting solidaire pour les familles monoparentales", theme: "early_childhood", territory: "ze-vesoul", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 110,
		description: "Des mères seules de Vesoul refusent des formations ou des emplois du soir faute de garde ponctuelle abordable ; un service de baby-sitting solidaire, adossé au centre social, répondrait à ce besoin.",
		stage:       domain.StageCaptured},
	{title: "Cantine solidaire intergénérationnelle", theme: "ageing", territory: "ze-dole", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 90,
		description: "Des personnes âgées mangent seules tous les jours ; une cantine solidaire ouverte aux écoliers le midi et aux aînés le soir créerait du lien et garantirait un repas équilibré.",
		stage:       domain.StageCaptured},
	{title: "Chantier d'insertion en rénovation du patrimoine", theme: "culture", territory: "ze-lons", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 15,
		description: "Des lavoirs et des murets en pierre sèche se dégradent dans le Jura ; un chantier d'insertion les restaurerait tout en formant des personnes éloignées de l'emploi aux métiers du bâti ancien.",
		stage:       domain.StageCaptured},
	{title: "Covoiturage solidaire des aînés vers le médecin", theme: "mobility", territory: "39", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 60,
		description: "Les personnes âgées des villages du Jura n'ont plus de transport pour aller chez le médecin ; des bénévoles pourraient les conduire avec une participation aux frais.",
		stage:       domain.StageMerged, into: 1},
	{title: "Épicerie ambulante pour les villages autour de Lure", theme: "food", territory: "ze-lure", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 120,
		description: "Plusieurs villages autour de Lure n'ont plus aucun commerce ; les habitants sans voiture demandent qu'un camion-épicerie passe chaque semaine avec des produits à prix solidaires.",
		stage:       domain.StageMerged, into: 2},
	{title: "Distributeur automatique de pain au village", theme: "food", territory: "ze-gray", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 300,
		description: "Depuis la fermeture de la boulangerie, les habitants d'un village près de Gray n'ont plus de pain frais ; ils demandent un distributeur installé par la commune.",
		stage:       domain.StageRejected},
	{title: "Ressourcerie de jouets et de matériel de puériculture", theme: "environment", territory: "90", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 200,
		description: "Les familles du Territoire de Belfort jettent chaque année poussettes et jouets en bon état, tandis que d'autres n'ont pas les moyens d'en acheter ; une ressourcerie spécialisée les collecterait et les revendrait à petit prix.",
		stage:       domain.StageAbandoned},
	{title: "Auto-école sociale pour les demandeurs d'emploi", theme: "employment", territory: "ze-besancon", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 150,
		description: "Sans permis de conduire, des demandeurs d'emploi de l'agglomération bisontine ne peuvent pas accepter les postes en horaires décalés ; une auto-école sociale adapterait la pédagogie et le coût.",
		stage:       domain.StageDeployed, carrier: "Association Permis Pour Tous 25", spread: []string{"70", "90"}},
	{title: "Groupement d'achat d'énergie pour les ménages précaires", theme: "energy", territory: "ze-belfort", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 600,
		description: "Des ménages du pays de Montbéliard consacrent plus d'un dixième de leurs revenus au chauffage ; un groupement d'achat de bois et de fioul, avec des conseils d'économie d'énergie, allégerait leurs factures.",
		stage:       domain.StageFeasibility},
	{title: "Service de portage de repas en circuits courts", theme: "ageing", territory: "ze-lure", by: "acteur", organisation: "Mairie de Dole", beneficiaries: 120,
		description: "Le portage de repas aux personnes âgées de la région de Lure s'appuie sur une cuisine centrale lointaine ; des producteurs locaux et une cuisine associative pourraient livrer des repas de saison.",
		stage:       domain.StageCommittee},
	{title: "Accompagnement au numérique dans les mairies", theme: "discrimination", territory: "ze-morteau", by: "acteur2", organisation: "Centre social de Lure", beneficiaries: 350,
		description: "Les démarches administratives dématérialisées excluent les personnes âgées et les personnes sans ordinateur du Haut-Doubs ; des permanences d'accompagnement numérique dans les mairies manquent.",
		stage:       domain.StageQualified, supported: true},
}
