// Package dbtest gives each Go test package its own Postgres database and Redis DB number, so
// packages run in parallel against the real servers without seeing each other's data.
//
// A package opts in with
//
//	func TestMain(m *testing.M) { dbtest.Main(m) }
//
// and then calls DB(t) / RedisURL(t) in its tests. The database is cloned from a template that
// holds the migrated schema (one template per set of migrations, built once and shared by every
// package), and dropped when the package's tests end. DATABASE_URL and REDIS_URL must point at
// servers where the connecting role may create databases; `make test` arranges that.
package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/ledgerlink/ledgerlink/db"
)

var (
	setupOnce sync.Once
	setupErr  error
	dbURL     string
	dbHandle  *db.DB
	dbName    string
	redisURL  string
	redisDB   int
	adminURL  string

	sqlOnce   sync.Once
	sqlHandle *bun.DB
	sqlErr    error
)

// Main sets up the package's database and Redis DB, runs the tests and tears both down, then
// runs after (the package's own clean-up of what its tests shared, e.g. a built binary).
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	teardown()
	for _, f := range after {
		f()
	}
	os.Exit(code)
}

// DB returns the package's migrated database. Tests share it: each test creates its own
// accounts so they never collide.
func DB(t testing.TB) *db.DB {
	t.Helper()
	setup(t)
	return dbHandle
}

// DatabaseURL returns the URL of the package's database (for code under test that opens its own pool).
func DatabaseURL(t testing.TB) string {
	t.Helper()
	setup(t)
	return dbURL
}

// SQL returns a bun handle on the package's database, for tests that arrange or inspect rows
// no store method covers (package db keeps its own handle to itself: no code outside db and
// its tests issues SQL). It is a pool of its own, opened once and closed when the tests end.
func SQL(t testing.TB) *bun.DB {
	t.Helper()
	setup(t)
	sqlOnce.Do(func() {
		sqldb, err := sql.Open("postgres", dbURL)
		if err != nil {
			sqlErr = err
			return
		}
		sqlHandle = bun.NewDB(sqldb, pgdialect.New())
	})
	if sqlErr != nil {
		t.Fatalf("dbtest: %v", sqlErr)
	}
	return sqlHandle
}

// RedisURL returns a redis:// URL selecting the Redis DB number claimed for this package.
// The DB was empty when claimed.
func RedisURL(t testing.TB) string {
	t.Helper()
	setup(t)
	return redisURL
}

// Redis returns a client on the package's Redis DB, closed when t ends.
func Redis(t testing.TB) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(RedisURL(t))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	c := redis.NewClient(opt)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func setup(t testing.TB) {
	t.Helper()
	setupOnce.Do(func() { setupErr = doSetup() })
	if setupErr != nil {
		t.Fatalf("dbtest: %v", setupErr)
	}
}

func doSetup() error {
	adminURL = os.Getenv("DATABASE_URL")
	rURL := os.Getenv("REDIS_URL")
	if adminURL == "" || rURL == "" {
		return fmt.Errorf("DATABASE_URL and REDIS_URL must be set: run the tests with `make test`, which starts Postgres and Redis")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	tmpl, err := ensureTemplate(ctx)
	if err != nil {
		return err
	}
	dbName = fmt.Sprintf("ll_test_%s_%d", packageSlug(), os.Getpid())
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(dbName)); err != nil {
		return fmt.Errorf("drop old test database: %w", err)
	}
	// CREATE DATABASE … TEMPLATE fails while another session is connected to the template;
	// retry briefly since another package may be finishing its own clone.
	for attempt := 0; ; attempt++ {
		_, err = admin.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(dbName)+" TEMPLATE "+quoteIdent(tmpl))
		if err == nil || attempt == 50 || !strings.Contains(err.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return fmt.Errorf("create test database from template: %w", err)
	}
	dbURL = withDatabase(adminURL, dbName)
	if dbHandle, err = db.Open(ctx, dbURL); err != nil {
		return err
	}
	return claimRedis(ctx, rURL)
}

// ensureTemplate builds (once per migration set, across all packages) a database holding the
// migrated schema, and returns its name.
func ensureTemplate(ctx context.Context) (string, error) {
	name := "ll_template_" + migrationsHash()
	admin, err := sql.Open("postgres", adminURL)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", redact(adminURL), err)
	}
	defer conn.Close()
	// Serialize template creation between test packages running in parallel.
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7461)"); err != nil {
		return "", fmt.Errorf("template lock: %w", err)
	}
	defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7461)") //nolint:errcheck

	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_wip"
	if _, err := conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(building)); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+quoteIdent(building)); err != nil {
		return "", fmt.Errorf("create template: %w", err)
	}
	d, err := db.Open(ctx, withDatabase(adminURL, building))
	if err != nil {
		return "", err
	}
	_, merr := d.Migrate(ctx)
	_ = d.Close()
	if merr != nil {
		return "", merr
	}
	// Rename only when complete, so a crash mid-migration never leaves a half-built template.
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+quoteIdent(building)+" RENAME TO "+quoteIdent(name)); err != nil {
		return "", fmt.Errorf("finish template: %w", err)
	}
	return name, nil
}

// claimRedis takes the first free DB number (1..n-1) by a lease key in DB 0, then empties it.
func claimRedis(ctx context.Context, base string) error {
	opt, err := redis.ParseURL(base)
	if err != nil {
		return fmt.Errorf("REDIS_URL: %w", err)
	}
	opt.DB = 0
	c := redis.NewClient(opt)
	defer c.Close()
	n := 16
	if v, err := c.ConfigGet(ctx, "databases").Result(); err == nil {
		if s, ok := v["databases"]; ok {
			if k, err := strconv.Atoi(s); err == nil {
				n = k
			}
		}
	} else {
		return fmt.Errorf("redis at %s does not answer: %w", redact(base), err)
	}
	for i := 1; i < n; i++ {
		ok, err := c.SetNX(ctx, leaseKey(i), os.Getpid(), 30*time.Minute).Result()
		if err != nil {
			return fmt.Errorf("claim redis db: %w", err)
		}
		if !ok {
			continue
		}
		redisDB = i
		opt.DB = i
		cl := redis.NewClient(opt)
		err = cl.FlushDB(ctx).Err()
		_ = cl.Close()
		if err != nil {
			return fmt.Errorf("flush redis db %d: %w", i, err)
		}
		u, _ := url.Parse(base)
		u.Path = "/" + strconv.Itoa(i)
		redisURL = u.String()
		return nil
	}
	return fmt.Errorf("all %d redis databases are claimed by other test packages; start redis with --databases 64 (make test does)", n-1)
}

func leaseKey(i int) string { return "ledgerlink:test:redis-db:" + strconv.Itoa(i) }

func teardown() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if sqlHandle != nil {
		_ = sqlHandle.Close()
	}
	if dbHandle != nil {
		_ = dbHandle.Close()
		if admin, err := sql.Open("postgres", adminURL); err == nil {
			_, _ = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+quoteIdent(dbName)+" WITH (FORCE)")
			_ = admin.Close()
		}
	}
	if redisURL != "" {
		if opt, err := redis.ParseURL(redisURL); err == nil {
			c := redis.NewClient(opt)
			_ = c.FlushDB(ctx).Err()
			opt.DB = 0
			_ = c.Close()
			c0 := redis.NewClient(opt)
			_ = c0.Del(ctx, leaseKey(redisDB)).Err()
			_ = c0.Close()
		}
	}
}

// migrationsHash fingerprints the migration files so a changed schema gets a new template.
func migrationsHash() string {
	h := sha256.New()
	ms, err := db.MigrationFS()
	if err == nil {
		_ = fs.WalkDir(ms, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, _ := fs.ReadFile(ms, p)
			h.Write([]byte(p))
			h.Write(b)
			return nil
		})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

// packageSlug names the test database after the package under test, for readable pg_stat output.
func packageSlug() string {
	wd, _ := os.Getwd()
	s := strings.ToLower(path.Base(filepath.ToSlash(wd)))
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	if b.Len() > 20 {
		return b.String()[:20]
	}
	return b.String()
}

func withDatabase(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	u.Path = "/" + name
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(bad URL)"
	}
	return u.Redacted()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
