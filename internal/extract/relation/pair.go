package relation

import "mosaic"

// Pair is one question for the classifier: does the sentence Words state a
// relation between mentions A and B? A comes before B in the sentence.
type Pair struct {
	// Words are the sentence's tokens as written.
	Words []string
	A, B  Arg
	// Others are the sentence's other mentions, sorted by Start; they may
	// be left out, at some cost in accuracy.
	Others []Arg
}

// Arg is a mention as a token span [Start, End) of its sentence, with its
// type.
type Arg struct {
	Start, End int
	Type       mosaic.MentionType
}

// valid reports whether the pair's spans lie in its sentence, in order and
// apart.
func (p *Pair) valid() bool {
	n := len(p.Words)
	return p.A.Start >= 0 && p.A.Start < p.A.End && p.A.End <= p.B.Start && p.B.Start < p.B.End && p.B.End <= n
}

// Class is one outcome of the classifier: no relation, or a relation type
// with its direction.
type Class uint8

// Classes. Forward means From is the earlier mention, A. Family is one
// class: kinship is read as symmetric (the corpora state "sibling" both
// ways, and "child" and "father" of one pair), its From the earlier mention.
const (
	None Class = iota
	MemberForward
	MemberBackward
	LocationForward
	LocationBackward
	AttackForward
	AttackBackward
	Family
	numClasses
)

var classInfo = [numClasses]struct {
	typ     mosaic.RelationType
	forward bool
}{
	None:             {"", false},
	MemberForward:    {mosaic.Member, true},
	MemberBackward:   {mosaic.Member, false},
	LocationForward:  {mosaic.LocatedIn, true},
	LocationBackward: {mosaic.LocatedIn, false},
	AttackForward:    {mosaic.Attack, true},
	AttackBackward:   {mosaic.Attack, false},
	Family:           {mosaic.Family, true},
}

// typeIndex numbers the types the classifier knows, for per-type tables.
var types = [...]mosaic.RelationType{mosaic.Member, mosaic.LocatedIn, mosaic.Attack, mosaic.Family}

const numTypes = len(types)

func typeIndex(t mosaic.RelationType) int {
	for i, x := range types {
		if x == t {
			return i
		}
	}
	return -1
}

// Types returns the relation types the classifier knows, in a fixed order.
func Types() []mosaic.RelationType { return types[:] }

// Symmetric reports whether the classifier reads a type as undirected.
func Symmetric(t mosaic.RelationType) bool { return t == mosaic.Family }

// ClassOf returns the class of a relation of type typ whose From is the
// earlier mention (forward) or the later one. It returns None for a type the
// classifier does not know.
func ClassOf(typ mosaic.RelationType, forward bool) Class {
	for c := Class(1); c < numClasses; c++ {
		if i := classInfo[c]; i.typ == typ && (i.forward == forward || Symmetric(typ)) {
			return c
		}
	}
	return None
}

// Type returns the class's relation type, "" for None.
func (c Class) Type() mosaic.RelationType {
	if c >= numClasses {
		return ""
	}
	return classInfo[c].typ
}

// Forward reports whether the class's From is the earlier mention.
func (c Class) Forward() bool { return c < numClasses && classInfo[c].forward }

func (c Class) String() string {
	if c == None {
		return "none"
	}
	if c.Forward() {
		return string(c.Type()) + ">"
	}
	return string(c.Type()) + "<"
}

// Allowed reports whether a relation of type typ may go from a mention of
// type from to one of type to: a member belongs to an organisation, a
// location is a place, family links people, an attack is by a person or
// group on a person, group or place.
func Allowed(typ mosaic.RelationType, from, to mosaic.MentionType) bool {
	agent := from == mosaic.Person || from == mosaic.Org
	switch typ {
	case mosaic.Member:
		return agent && to == mosaic.Org
	case mosaic.LocatedIn:
		return (agent || from == mosaic.Location || from == mosaic.Misc) && to == mosaic.Location
	case mosaic.Family:
		return from == mosaic.Person && to == mosaic.Person
	case mosaic.Attack:
		return agent && (to == mosaic.Person || to == mosaic.Org || to == mosaic.Location)
	}
	return false
}

// allowed reports whether class c fits the pair's mention types.
func (p *Pair) allowed(c Class) bool {
	if c == None {
		return true
	}
	from, to := p.A.Type, p.B.Type
	if !c.Forward() {
		from, to = to, from
	}
	return Allowed(c.Type(), from, to) || Symmetric(c.Type()) && Allowed(c.Type(), to, from)
}
