package qbdsim

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// schemaValidator validates request messages against the qbXML XSD with
// xmllint (one process per message).
type schemaValidator struct {
	specsDir string

	once sync.Once
	dir  string
	err  error
}

// SpecsDir returns the shared/specs directory: $LEDGERLINK_SPECS_DIR when
// set, else the first shared/specs with a qbwc/xsd directory found walking
// up from the working directory.
func SpecsDir() (string, error) {
	if d := os.Getenv("LEDGERLINK_SPECS_DIR"); d != "" {
		if isDir(filepath.Join(d, "qbwc", "xsd")) {
			return d, nil
		}
		return "", fmt.Errorf("qbd: LEDGERLINK_SPECS_DIR=%s has no qbwc/xsd directory", d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("qbd: specs directory: %w", err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if d := filepath.Join(dir, "shared", "specs"); isDir(filepath.Join(d, "qbwc", "xsd")) {
			return d, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("qbd: no shared/specs/qbwc/xsd above %s: set LEDGERLINK_SPECS_DIR to shared/specs", wd)
		}
	}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// SchemaFile is the entry-point XSD (qbxmlops<NN>.xsd) for a qbXML version.
func SchemaFile(specsDir, version string) string {
	return filepath.Join(specsDir, "qbwc", "xsd", version, "qbxmlops"+strings.ReplaceAll(version, ".", "")+".xsd")
}

func (v *schemaValidator) init() {
	v.once.Do(func() {
		v.dir = v.specsDir
		if v.dir == "" {
			v.dir, v.err = SpecsDir()
		}
	})
}

// verdicts caches xmllint's verdict per schema file and message: the
// answer cannot change, and servers resend identical queries often.
var verdicts = struct {
	sync.Mutex
	m map[[sha256.Size]byte]error
}{m: map[[sha256.Size]byte]error{}}

const maxVerdicts = 4096

// validate returns nil when msg is valid, an *HResultError (parse error)
// when xmllint rejects it, ErrXMLLintMissing when xmllint is absent.
func (v *schemaValidator) validate(version, msg string) error {
	v.init()
	if v.err != nil {
		return v.err
	}
	key := sha256.Sum256([]byte(SchemaFile(v.dir, version) + "\x00" + msg))
	verdicts.Lock()
	verdict, seen := verdicts.m[key]
	verdicts.Unlock()
	if seen {
		return verdict
	}
	err := v.run(version, msg)
	if err == nil || errors.Is(err, ErrParse) {
		verdicts.Lock()
		if len(verdicts.m) >= maxVerdicts {
			verdicts.m = map[[sha256.Size]byte]error{}
		}
		verdicts.m[key] = err
		verdicts.Unlock()
	}
	return err
}

// run validates msg with one xmllint process.
func (v *schemaValidator) run(version, msg string) error {
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		return ErrXMLLintMissing
	}
	xsd := SchemaFile(v.dir, version)
	if _, err := os.Stat(xsd); err != nil {
		return fmt.Errorf("qbd: schema for qbXML %s: %w", version, err)
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "--schema", xsd, "-")
	cmd.Stdin = strings.NewReader(msg)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &exit):
		return parseFailure("schema: %s", strings.TrimSpace(stderr.String()))
	default:
		return fmt.Errorf("qbd: run xmllint: %w", err)
	}
}
