package swarm

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNodes(t *testing.T) {
	t.Parallel()
	c, f := setup(t)
	f.Reply("GET /v1.41/nodes", http.StatusOK, fixture(t, "nodes-v1.41.json"))
	f.Reply("GET /v1.41/nodes/{id}", http.StatusOK, `{"ID":"n1","Version":{"Index":9}}`)
	f.Reply("POST /v1.41/nodes/{id}/update", http.StatusOK, nil)
	f.Reply("DELETE /v1.41/nodes/{id}", http.StatusOK, nil)
	nodes := c.Nodes()

	list, err := nodes.List(t.Context(), Filter("role", "manager"), Filters(map[string][]string{"node.label": {"zone=a"}}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"node.label":["zone=a"],"role":["manager"]}`; f.Last(t).Query.Get("filters") != want {
		t.Errorf("filters %s, want %s", f.Last(t).Query.Get("filters"), want)
	}
	if len(list) != 1 {
		t.Fatalf("%d nodes", len(list))
	}
	n := list[0]
	if n.Spec.Role != RoleManager || n.Spec.Availability != AvailabilityActive || n.Status.State != NodeStateReady ||
		n.ManagerStatus == nil || !n.ManagerStatus.Leader || n.ManagerStatus.Reachability != ReachabilityReachable ||
		n.Description.Platform.OS != "linux" || n.Description.Resources.NanoCPUs == 0 ||
		len(n.Description.Engine.Plugins) == 0 || n.Description.TLSInfo.TrustRoot == "" {
		t.Errorf("decoded node: %+v", n)
	}

	got, err := nodes.Inspect(t.Context(), "n1")
	if err != nil || got.ID != "n1" || got.Version.Index != 9 {
		t.Fatalf("Inspect = %+v, %v", got, err)
	}
	spec := NodeSpec{Name: "n", Labels: map[string]string{"zone": "a"}, Role: RoleWorker, Availability: AvailabilityDrain}
	if err := nodes.Update(t.Context(), "n1", got.Version, spec); err != nil {
		t.Fatal(err)
	}
	req := f.Last(t)
	if diff := cmp.Diff(url.Values{"version": {"9"}}, req.Query); diff != "" || req.Path != "/nodes/n1/update" {
		t.Errorf("update sent %s, query (-want +got):\n%s", req.Path, diff)
	}
	jsonEqual(t, `{"Name": "n", "Labels": {"zone": "a"}, "Role": "worker", "Availability": "drain"}`, req.Body)

	if err := nodes.Remove(t.Context(), "n1", Force()); err != nil {
		t.Fatal(err)
	}
	if q := f.Last(t).Query; q.Get("force") != "1" {
		t.Errorf("remove query %v", q)
	}
	if err := nodes.Remove(t.Context(), "n1"); err != nil {
		t.Fatal(err)
	}
	if q := f.Last(t).Query; len(q) != 0 {
		t.Errorf("remove without force sent %v", q)
	}
}
