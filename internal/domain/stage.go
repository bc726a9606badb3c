package domain

// Stage is where an emerging project stands.
type Stage string

const (
	StageCaptured      Stage = "captured"
	StageAwaitingInfo  Stage = "awaiting_info"
	StageQualified     Stage = "qualified"
	StageFeasibility   Stage = "feasibility"
	StageCommittee     Stage = "committee"
	StageCarrierSearch Stage = "carrier_search"
	StagePilot         Stage = "pilot"
	StageDeployment    Stage = "deployment"
	StageDeployed      Stage = "deployed"
	StageRejected      Stage = "rejected"
	StageMerged        Stage = "merged"
	StageAbandoned     Stage = "abandoned"
)

// Stages lists every stage in pipeline order, terminal ones last.
var Stages = []Stage{
	StageCaptured, StageAwaitingInfo, StageQualified, StageFeasibility, StageCommittee,
	StageCarrierSearch, StagePilot, StageDeployment,
	StageDeployed, StageRejected, StageMerged, StageAbandoned,
}

// MainPath is the road of a project that goes all the way (pages draw it).
var MainPath = []Stage{StageCaptured, StageQualified, StageFeasibility, StageCommittee,
	StageCarrierSearch, StagePilot, StageDeployment, StageDeployed}

// ActiveStages are the non-terminal stages, in pipeline order (the officer board's columns).
var ActiveStages = Stages[:8]

// Terminal tells whether nothing more can happen to a project in this stage.
func (s Stage) Terminal() bool {
	switch s {
	case StageDeployed, StageRejected, StageMerged, StageAbandoned:
		return true
	}
	return false
}

// Valid tells whether s is a known stage.
func (s Stage) Valid() bool {
	for _, v := range Stages {
		if v == s {
			return true
		}
	}
	return false
}
