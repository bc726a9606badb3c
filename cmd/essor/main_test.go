package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"essor/internal/storage"
	"essor/internal/testdb"
)

// The test binary doubles as the essor binary: run with ESSOR_TEST_RUN_MAIN=1
// it is `essor`, so these tests drive the real program without building it.
func TestMain(m *testing.M) {
	if os.Getenv("ESSOR_TEST_RUN_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// instance is one essor installation: a database, a data directory, an address.
type instance struct {
	t       *testing.T
	env     []string
	base    string
	cmd     *exec.Cmd
	logs    *bytes.Buffer
	dataDir string
}

func newInstance(t *testing.T, extraEnv ...string) *instance {
	t.Helper()
	u, _ := url.Parse(testdb.DatabaseURL())
	u.Path = fmt.Sprintf("/essor_cli_%d", time.Now().UnixNano())
	t.Cleanup(func() { _ = storage.DropDatabase(context.Background(), u.String()) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	env := append(os.Environ(), "ESSOR_TEST_RUN_MAIN=1", "DATABASE_URL="+u.String(), "ESSOR_DATA_DIR="+dir,
		"ESSOR_ADDR="+addr, "ESSOR_TEMPORAL_PORT=0", "TEMPORAL_ADDRESS=")
	return &instance{t: t, env: append(env, extraEnv...), base: "http://" + addr, dataDir: dir}
}

// run runs a sub-command to its end and returns its exit code and output.
func (in *instance) run(stdin string, args ...string) (int, string) {
	in.t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = in.env
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		in.t.Fatal(err)
	}
	return code, string(out)
}

// start launches `essor serve` and waits until it is ready.
func (in *instance) start() { in.startAs("serve") }

// startAs launches a long-running sub-command (serve, web) and waits until it answers /readyz.
func (in *instance) startAs(sub string) {
	in.t.Helper()
	in.logs = &bytes.Buffer{}
	in.cmd = in.spawn(sub, in.logs)
	in.t.Cleanup(func() { in.kill() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(in.base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	in.t.Fatalf("essor serve did not become ready:\n%s", in.logs)
}

// spawn starts a sub-command in the background; it is killed when the test ends.
func (in *instance) spawn(sub string, logs *bytes.Buffer) *exec.Cmd {
	in.t.Helper()
	cmd := exec.Command(os.Args[0], sub)
	cmd.Env = in.env
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		in.t.Fatal(err)
	}
	in.t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
	})
	return cmd
}

// kill stops the server the hard way, as a crash or a power cut would.
func (in *instance) kill() {
	if in.cmd == nil || in.cmd.Process == nil {
		return
	}
	_ = in.cmd.Process.Signal(syscall.SIGKILL)
	_ = in.cmd.Wait()
	in.cmd = nil
}

func (in *instance) do(method, path, token string, body any, headers ...string) (int, map[string]any) {
	in.t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, in.base+path, r)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil
	}
	defer resp.Body.Close()
	var m map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

func (in *instance) login(email string) string {
	in.t.Helper()
	status, m := in.do("POST", "/api/v1/sessions", "", map[string]any{"email": email, "password": "mot-de-passe-solide"})
	if status != 201 {
		in.t.Fatalf("sign in %s: %d %v", email, status, m)
	}
	return m["token"].(string)
}

func (in *instance) events(token, id string) []map[string]any {
	in.t.Helper()
	return in.trail(token, "/api/v1/needs/"+id+"/events")
}

// trail reads an audit trail (a need's, a study-action's).
func (in *instance) trail(token, path string) []map[string]any {
	in.t.Helper()
	req, _ := http.NewRequest("GET", in.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		in.t.Fatal(err)
	}
	defer resp.Body.Close()
	var evs []map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&evs)
	return evs
}

func TestCommandLine(t *testing.T) {
	in := newInstance(t)
	if code, out := in.run(""); code != 2 || !strings.Contains(out, "essor serve") {
		t.Fatalf("no sub-command: %d %s", code, out)
	}
	if code, out := in.run("", "envoler"); code != 2 || !strings.Contains(out, "sous-commande inconnue") {
		t.Fatalf("unknown sub-command: %d %s", code, out)
	}
	if code, out := in.run("", "migrate"); code != 0 || !strings.Contains(out, "appliquée") {
		t.Fatalf("migrate: %d %s", code, out)
	}
	if code, out := in.run("", "migrate"); code != 0 || !strings.Contains(out, "base à jour") {
		t.Fatalf("migrate again: %d %s", code, out)
	}
	if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", "pas-une-adresse", "--role", "pilote"); code != 2 ||
		!strings.Contains(out, "--email") || !strings.Contains(out, "--name") || !strings.Contains(out, `rôle inconnu "pilote"`) {
		t.Fatalf("bad user add: %d %s", code, out)
	}
	if code, out := in.run("court\n", "user", "add", "--email", "a@b.fr", "--name", "A", "--role", "actor"); code != 2 || !strings.Contains(out, "au moins 10") {
		t.Fatalf("short password: %d %s", code, out)
	}
	if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", "Claire@Region.fr", "--name", "Claire", "--role", "committee", "--role", "officer"); code != 0 || !strings.Contains(out, "compte créé") {
		t.Fatalf("user add: %d %s", code, out)
	}
	if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", "claire@region.fr", "--name", "Claire", "--role", "actor"); code != 1 || !strings.Contains(out, "existe déjà") {
		t.Fatalf("duplicate user: %d %s", code, out)
	}
	if code, out := in.run("", "user", "list"); code != 0 || !strings.Contains(out, "Claire@Region.fr") || !strings.Contains(out, "[committee officer]") {
		t.Fatalf("user list: %d %s", code, out)
	}
	if code, out := in.run("", "worker"); code != 2 || !strings.Contains(out, "TEMPORAL_ADDRESS") {
		t.Fatalf("worker without Temporal: %d %s", code, out)
	}
}

// TestCrashLosesNothing kills `essor serve` with SIGKILL while submissions
// are in flight, restarts it, and retries every submission with its
// Idempotency-Key: every acknowledged submission is there, none twice; a
// deadline timer set before the crash fires after it.
func TestCrashLosesNothing(t *testing.T) {
	in := newInstance(t, "ESSOR_QUALIFY_WITHIN=6s")
	for _, u := range [][]string{{"acteur@asso.fr", "actor"}, {"charge@fca.fr", "officer"}} {
		if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", u[0], "--name", "Compte "+u[1], "--role", u[1], "--organisation", "Org "+u[1]); code != 0 {
			t.Fatalf("user add: %s", out)
		}
	}
	in.start()
	if !strings.Contains(in.logs.String(), "essor is ready") || !strings.Contains(in.logs.String(), in.dataDir) {
		t.Fatalf("serve does not say where it listens and keeps its data:\n%s", in.logs)
	}
	actor, officer := in.login("acteur@asso.fr"), in.login("charge@fca.fr")
	need := func(i int) map[string]any {
		return map[string]any{"title": fmt.Sprintf("Besoin numéro %d avant la panne", i), "theme": "housing", "territory_code": "25",
			"description": "Un besoin soumis pendant qu'on arrête brutalement le serveur."}
	}

	status, first := in.do("POST", "/api/v1/needs", actor, need(0), "Idempotency-Key", "key-0")
	if status != 201 {
		t.Fatalf("first submission: %d %v", status, first)
	}
	firstID := first["id"].(string)
	if s, _ := in.do("POST", "/api/v1/needs/"+firstID+"/transitions", officer, map[string]any{"action": "request_info", "comment": "Précisez le public."}); s != 200 {
		t.Fatalf("request_info: %d", s)
	}

	// Eight clients submit 40 needs; the server is killed once ten are acknowledged.
	const n = 40
	acked := make([]string, n)
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		count int
		next  = 1
	)
	killed := make(chan struct{})
	for c := 0; c < 8; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				s, m := in.do("POST", "/api/v1/needs", actor, need(i), "Idempotency-Key", fmt.Sprintf("key-%d", i))
				if s != 201 {
					continue // refused by a dying server: the client will retry
				}
				mu.Lock()
				acked[i] = m["id"].(string)
				count++
				if count == 10 {
					close(killed)
				}
				mu.Unlock()
			}
		}()
	}
	<-killed
	in.kill()
	wg.Wait()
	ackedBefore := 0
	for _, id := range acked {
		if id != "" {
			ackedBefore++
		}
	}
	t.Logf("%d of %d submissions acknowledged before the crash", ackedBefore, n-1)

	in.start()
	actor, officer = in.login("acteur@asso.fr"), in.login("charge@fca.fr")
	for i := 1; i < n; i++ { // clients retry whatever was not acknowledged, and some that were
		s, m := in.do("POST", "/api/v1/needs", actor, need(i), "Idempotency-Key", fmt.Sprintf("key-%d", i))
		if s != 201 {
			t.Fatalf("retry %d: %d %v", i, s, m)
		}
		if acked[i] != "" && acked[i] != m["id"] {
			t.Fatalf("retry %d answered another need: %s then %s", i, acked[i], m["id"])
		}
	}
	status, list := in.do("GET", "/api/v1/needs?limit=200", actor, nil)
	if status != 200 {
		t.Fatalf("list: %d", status)
	}
	titles := map[string]int{}
	for _, it := range list["items"].([]any) {
		titles[it.(map[string]any)["title"].(string)]++
	}
	if len(titles) != n {
		t.Fatalf("%d distinct needs, want %d", len(titles), n)
	}
	for title, count := range titles {
		if count != 1 {
			t.Fatalf("%q stored %d times", title, count)
		}
	}

	// The first need's qualification deadline (6 s) passes across the crash:
	// its reminder is recorded once, after the restart.
	deadline := time.Now().Add(30 * time.Second)
	for {
		evs := in.events(officer, firstID)
		var actions []string
		for _, e := range evs {
			actions = append(actions, e["action"].(string))
		}
		got := strings.Join(actions, " ")
		if got == "submit request_info reminder" {
			break
		}
		if time.Now().After(deadline) || strings.Count(got, "reminder") > 1 {
			t.Fatalf("trail after restart: %s", got)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if s, m := in.do("POST", "/api/v1/needs/"+firstID+"/transitions", actor, map[string]any{"action": "provide_info", "comment": "Des familles monoparentales."}); s != 200 || m["stage"] != "captured" {
		t.Fatalf("provide_info after restart: %d %v", s, m)
	}
}

// TestWorkerAndWebApart runs the parts as separate processes, as a scaled-out
// installation does: `essor web` and `essor worker` on the Temporal that an
// `essor serve` embeds (standing in for a Temporal cluster), on a task queue
// that the serve process's own worker does not listen to.
func TestWorkerAndWebApart(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	temporalPort := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cluster := newInstance(t, fmt.Sprintf("ESSOR_TEMPORAL_PORT=%d", temporalPort))
	cluster.start()

	apart := newInstance(t, fmt.Sprintf("TEMPORAL_ADDRESS=127.0.0.1:%d", temporalPort), "ESSOR_TASK_QUEUE=apart")
	if code, out := apart.run("mot-de-passe-solide\n", "user", "add", "--email", "a@asso.fr", "--name", "A", "--role", "actor"); code != 0 {
		t.Fatal(out)
	}
	workerLogs := &bytes.Buffer{}
	apart.spawn("worker", workerLogs)
	apart.startAs("web")
	token := apart.login("a@asso.fr")
	status, n := apart.do("POST", "/api/v1/needs", token, map[string]any{"title": "Besoin traité par un worker séparé",
		"description": "Le serveur web et le worker tournent dans deux processus distincts.", "theme": "culture", "territory_code": "90"})
	if status != 201 || n["stage"] != "captured" {
		t.Fatalf("submission through essor web: %d %v\nweb: %s\nworker: %s", status, n, apart.logs, workerLogs)
	}
	if !strings.Contains(workerLogs.String(), "worker started") || !strings.Contains(workerLogs.String(), "task_queue=apart") {
		t.Fatalf("worker logs:\n%s", workerLogs)
	}
}

// TestStudyActionSurvivesCrash kills `essor serve` in the middle of a
// study-action's recruitment: its reminder and escalation (timers set
// before the crash) fire once each after the restart, and a report and a
// vote retried with their Idempotency-Key after the crash are not doubled.
func TestStudyActionSurvivesCrash(t *testing.T) {
	in := newInstance(t, "ESSOR_RECRUIT_WITHIN=6s", "ESSOR_RECRUIT_ESCALATE_AFTER=3s", "ESSOR_COMMITTEE_QUORUM=1")
	for _, u := range [][]string{{"hote@menuiserie.fr", "actor"}, {"charge@fca.fr", "officer"}, {"membre@region.fr", "committee"}} {
		if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", u[0], "--name", "Compte "+u[1], "--role", u[1], "--organisation", "Org "+u[1]); code != 0 {
			t.Fatalf("user add: %s", out)
		}
	}
	in.start()
	host, officer, member := in.login("hote@menuiserie.fr"), in.login("charge@fca.fr"), in.login("membre@region.fr")
	apply := func(title string) string {
		s, m := in.do("POST", "/api/v1/study-actions", host, map[string]any{"host_company": "Menuiserie Dupont",
			"project_title": title, "summary": "Une étude-action conduite pendant qu'on arrête le serveur.",
			"sponsor": "Réseau Entreprendre", "duration_months": 6,
			"financing": []map[string]any{{"funder": "Région", "kind": "region", "amount_eur": 20000}}}, "Idempotency-Key", fmt.Sprintf("apply-%d", len(title)))
		if s != 201 {
			t.Fatalf("apply: %d %v", s, m)
		}
		return m["id"].(string)
	}
	act := func(token, id, key string, body map[string]any) map[string]any {
		s, m := in.do("POST", "/api/v1/study-actions/"+id+"/transitions", token, body, "Idempotency-Key", key)
		if s != 200 {
			t.Fatalf("%v: %d %v", body["action"], s, m)
		}
		return m
	}
	approve := func(id string) {
		act(officer, id, "appraise-"+id, map[string]any{"action": "appraise", "opinion": "Un dossier solide, un hôte motivé."})
		act(member, id, "vote-"+id, map[string]any{"action": "vote", "decision": "approve"})
	}
	waiting, running := apply("Recyclerie en attente de porteur"), apply("Recyclerie en cours d'étude")
	approve(running)
	act(officer, running, "recruit", map[string]any{"action": "recruit", "carrier_name": "Nora Benali",
		"start_date": time.Now().In(time.UTC).Format(time.DateOnly)})
	report := map[string]any{"action": "report", "month": 1, "text": "Premier mois : étude de marché et partenaires."}
	act(host, running, "report-1", report)
	approve(waiting) // its recruitment reminder is due in 6 s, its escalation in 9 s
	in.kill()

	in.start()
	host, member = in.login("hote@menuiserie.fr"), in.login("membre@region.fr")
	if m := act(host, running, "report-1", report); len(m["reports"].([]any)) != 1 {
		t.Fatalf("a retried report was doubled: %v", m["reports"])
	}
	act(member, waiting, "vote-"+waiting, map[string]any{"action": "vote", "decision": "approve"}) // replayed, not cast again
	count := func(id string) map[string]int {
		n := map[string]int{}
		for _, e := range in.trail(officer, "/api/v1/study-actions/"+id+"/events") {
			n[e["action"].(string)]++
			if d, ok := e["data"].(map[string]any); ok && d["kind"] != nil {
				n[d["kind"].(string)]++
			}
		}
		return n
	}
	deadline := time.Now().Add(40 * time.Second)
	for {
		n := count(waiting)
		if n["recruitment_overdue"] == 1 && n["recruitment_escalated"] == 1 {
			break
		}
		if time.Now().After(deadline) || n["recruitment_overdue"] > 1 {
			t.Fatalf("timers after the restart: %v", n)
		}
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // nothing fires twice
	if n := count(waiting); n["vote"] != 1 || n["decide"] != 1 || n["reminder"] != 1 || n["escalation"] != 1 {
		t.Fatalf("trail of the waiting study-action: %v", n)
	}
	if n := count(running); n["report"] != 1 || n["vote"] != 1 || n["recruit"] != 1 {
		t.Fatalf("trail of the running study-action: %v", n)
	}
}

// TestCallSurvivesCrash kills `essor serve` just after a call for projects
// was created: its opening and its closing (timers set before the crash)
// happen once each after the restart, and the creation retried with its
// Idempotency-Key names the same call.
func TestCallSurvivesCrash(t *testing.T) {
	in := newInstance(t)
	if code, out := in.run("mot-de-passe-solide\n", "user", "add", "--email", "charge@fca.fr", "--name", "Compte officer",
		"--role", "officer", "--organisation", "FCA"); code != 0 {
		t.Fatalf("user add: %s", out)
	}
	in.start()
	officer := in.login("charge@fca.fr")
	now := time.Now()
	body := map[string]any{"title": "Appel traversant un redémarrage", "description": "Un appel à projets ouvert pendant qu'on arrête le serveur.",
		"opens_at": now.Add(4 * time.Second).Format(time.RFC3339), "closes_at": now.Add(8 * time.Second).Format(time.RFC3339)}
	s, m := in.do("POST", "/api/v1/calls", officer, body, "Idempotency-Key", "call-crash")
	if s != 201 || m["stage"] != "scheduled" {
		t.Fatalf("create: %d %v", s, m)
	}
	id := m["id"].(string)
	in.kill()

	in.start()
	officer = in.login("charge@fca.fr")
	if s, m := in.do("POST", "/api/v1/calls", officer, body, "Idempotency-Key", "call-crash"); s != 201 || m["id"] != id {
		t.Fatalf("a retried creation: %d %v", s, m)
	}
	count := func() map[string]int {
		n := map[string]int{}
		for _, e := range in.trail(officer, "/api/v1/calls/"+id+"/events") {
			n[e["action"].(string)]++
		}
		return n
	}
	deadline := time.Now().Add(40 * time.Second)
	for count()["close"] == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the call never closed after the restart: %v", count())
		}
		time.Sleep(250 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // nothing fires twice
	if n := count(); n["create"] != 1 || n["open"] != 1 || n["close"] != 1 {
		t.Fatalf("trail of the call: %v", n)
	}
	if s, m := in.do("GET", "/api/v1/calls/"+id, officer, nil); s != 200 || m["stage"] != "no_applications" {
		t.Fatalf("after its dates (no application: it ends by itself): %d %v", s, m["stage"])
	}
}
