package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"syscall"
	"testing"
	"time"
)

// mosaicProcess starts this binary's main in a child process.
func mosaicProcess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "MOSAIC_TEST_MAIN=1")
	return cmd
}

// waitExit waits for cmd to end after a signal; a process still running
// after a minute is killed and the test fails: the stop hung.
func waitExit(t *testing.T, cmd *exec.Cmd, what string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%s still running a minute after SIGTERM", what)
		return nil
	}
}

// SIGTERM stops an ingest between files, keeping every file it
// acknowledged, and the next run completes the collection.
func TestSigtermStopsIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests a corpus")
	}
	const n = 1000
	db, files, acked, exit := interruptIngest(t, 11, n, 100, syscall.SIGTERM)
	if exit == nil {
		t.Fatalf("ingest stopped by SIGTERM exited 0; it did not finish and must say so")
	}
	keptAcknowledged(t, db, acked, n, "stopped by SIGTERM")
	resumeIngest(t, db, files, n)
}

// SIGTERM stops a server: it exits cleanly, and answered until then.
func TestSigtermStopsServe(t *testing.T) {
	db := sampleCase(t)
	out, errs, code := runMosaic(t, "user", "add", "--db", db, "--agency", "Signal Test Unit", "--role", "analyst", "sigterm-tester")
	if code != 0 {
		t.Fatalf("user add: exit %d\n%s", code, errs)
	}
	token := lastLine(out)
	cmd := mosaicProcess(t, "serve", "--db", db, "--addr", "127.0.0.1:0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	url := regexp.MustCompile(`url=(http://\S+)`)
	sc := bufio.NewScanner(stderr)
	base := ""
	for base == "" && sc.Scan() {
		if m := url.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("the server never said where it listens")
	}
	go io.Copy(io.Discard, stderr)
	req, err := http.NewRequest(http.MethodGet, base+"api/v1/search?q=Sulayman", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("search before the stop: %s", res.Status)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := waitExit(t, cmd, "serve"); err != nil {
		t.Errorf("serve stopped by SIGTERM: %v, want a clean exit", err)
	}
}
