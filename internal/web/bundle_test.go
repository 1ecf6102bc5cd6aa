package web

import (
	"os/exec"
	"testing"
)

// TestBundleFresh fails when the committed bundle (ui/dist) is not what
// scripts/ui-build.sh makes of ui/src and the pinned packages: an edit to
// the sources without a rebuild would ship the old page in the binary.
func TestBundleFresh(t *testing.T) {
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm is not installed; scripts/test.sh installs it (internal/web/e2e/setup.sh)")
	}
	out, err := exec.Command("bash", "../../scripts/ui-build.sh", "--check").CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/ui-build.sh --check: %v\n%s", err, out)
	}
}
