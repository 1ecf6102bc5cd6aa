package network

import (
	"slices"
	"strings"

	"mosaic"
)

// Attribution is what the evidence network says about an attacker's tie
// to a group: the class the tie supports, the group, and the path that
// proves it hop by hop.
type Attribution struct {
	// Class is mosaic.Directed when someone on the group's side tasked the
	// attacker (a command relation whose object is the attacker on the
	// path's first hop, its cue a tasking verb: "el-Haddouchi directed
	// Karim Bouzidi to act"), and
	// mosaic.Enabled for any other path of contact: the attacker was in
	// touch with the group, which is attack-specific contact the network
	// can show but not material support.
	Class mosaic.Attribution `json:"class"`
	// Group is the group reached: an organisation known as a group (see
	// groupsAndMembers), directly or through a member of it.
	Group mosaic.EntityID `json:"group"`
	// Path runs from the attacker to the group; its last hop is the
	// membership when the path reached a member first.
	Path Path `json:"path"`
}

// tieTypes are the relations an attribution path may follow: contact,
// command, membership and family ("met Youssef el-Haddouchi", "the
// brother of Abdelkader"). An attack, a journey or a home ties no one to a
// group: two attackers of one victim, or two men in one city, are not in
// touch.
var tieTypes = []mosaic.RelationType{mosaic.Contact, mosaic.Command, mosaic.Member, mosaic.Family}

// ties reports whether the edge between nodes u and v has positive
// evidence of a tie type.
func (n *Network) ties(u, v int32) bool {
	l := n.link(u, v)
	return l != nil && l.tie
}

// Attribute finds the shortest path, of at most maxHops hops of contact,
// command, membership or family relations that no document negates, from
// an attacker to a known group or a member of one, and classes the tie.
// It returns false when there is none: the network cannot say the attack
// was more than inspired, whatever the sources claim. The attacker is
// never its own target: an attacker the documents make a member is still
// looked at through his ties. maxHops bounds the search for the group or a
// member of it; a member's membership is one hop more on the path.
func (n *Network) Attribute(attacker mosaic.EntityID, maxHops int) (Attribution, bool) {
	if maxHops < 1 {
		return Attribution{}, false
	}
	n.groupsOnce.Do(func() {
		n.groups = n.groupsAndMembers()
		n.groupOf = n.memberships(n.groups)
	})
	nodes, ok := n.nearest(attacker, n.groups, maxHops, n.ties)
	if !ok {
		return Attribution{}, false
	}
	return n.attribution(attacker, nodes, n.groupOf), true
}

// attribution builds the result for a search whose path is nodes.
func (n *Network) attribution(attacker mosaic.EntityID, nodes []int32, groupOf map[mosaic.EntityID]mosaic.EntityID) Attribution {
	reached := n.ids[nodes[len(nodes)-1]]
	group := reached
	if g, ok := groupOf[reached]; ok {
		// A member: the path ends with the membership, so that it shows
		// which group the member stands for.
		if w, ok := n.node[g]; ok && !slices.Contains(nodes, w) {
			nodes = append(nodes, w)
		}
		group = g
	}
	p := n.path(nodes)
	a := Attribution{Class: mosaic.Enabled, Group: group, Path: p}
	if len(p.Hops) > 0 {
		for _, ev := range p.Hops[0].Edge.Evidence {
			if ev.Type == mosaic.Command && !ev.Negated && ev.To == attacker && tasking(ev.Cue) {
				a.Class = mosaic.Directed
				break
			}
		}
	}
	return a
}

// taskingCues are the words of a command that tasks someone with an act:
// "directed Karim Bouzidi to act", "ordered", "instructed", "told him to".
// A command relation is also "sent me the voice note" or "recruited",
// which show contact and influence, not that the group planned the attack
// or armed the man: those leave the attack enabled.
var taskingCues = []string{"direct", "order", "instruct", "task", "told", "tell", "command"}

// tasking reports whether a command's cue tasks its object with an act.
func tasking(cue string) bool {
	cue = strings.ToLower(cue)
	for _, c := range taskingCues {
		if strings.Contains(cue, c) {
			return true
		}
	}
	return false
}

// memberships maps each member among targets to the group it is a member
// of, the group with the most positive membership evidence when several.
func (n *Network) memberships(targets map[mosaic.EntityID]bool) map[mosaic.EntityID]mosaic.EntityID {
	count := map[[2]mosaic.EntityID]int{}
	for _, l := range n.edges {
		for ev := range n.evidence(l) {
			if ev.Type == mosaic.Member && !ev.Negated && targets[ev.From] && targets[ev.To] && n.Kind(ev.From) == mosaic.Person {
				count[[2]mosaic.EntityID{ev.From, ev.To}]++
			}
		}
	}
	out := map[mosaic.EntityID]mosaic.EntityID{}
	best := map[mosaic.EntityID]int{}
	for k, c := range count {
		m, g := k[0], k[1]
		if c > best[m] || (c == best[m] && g < out[m]) {
			out[m], best[m] = g, c
		}
	}
	return out
}
