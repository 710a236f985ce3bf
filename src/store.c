/*
 * store.c: opening the database, migrations, transactions, and the
 * statement machinery every src/store*.c shares.  Reports are saved and
 * loaded in store-events.c.
 *
 * All SQL of the store is in store_stmt_sql[] (store-statements.c), one
 * entry per enum stmt_id: each statement is prepared on first use, kept
 * for the life of the store and named in error messages.  The two
 * exceptions are the migration scripts (sqlite3_exec() of the embedded
 * schema/NNN-*.sql) and the "PRAGMA user_version = N" that seals each
 * one, see run_migration().
 */
#include <errno.h>
#include <pthread.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "buf.h"
#include "oom.h"
#include "schema.h"
#include "store-int.h"
#include "xalloc.h"

/* PRAGMA application_id: 'OOML', so file(1) and we can tell our files. */
#define OOMLENS_APP_ID 0x4F4F4D4C
/* Readers wait this long for a lock (WAL readers rarely need one). */
#define BUSY_TIMEOUT_MS 5000
/* Writers wait this long for another writer: an ingest holds the write
 * lock for a whole input, which may take minutes, and two ingests at once
 * (a timer's and a user's) must both get through. */
#define WRITE_BUSY_TIMEOUT_MS (10 * 60 * 1000)
/* A store is used by one thread at a time (an ingest's parse workers
 * never touch it): SQLite need not take the connection's mutex in every
 * call, which was a lock and an unlock per column read, ~8% of an
 * export. */
#define OPEN_UNLOCKED SQLITE_OPEN_NOMUTEX


static char *vformat(const char *fmt, va_list ap)
{
	va_list aq;
	char *s;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return xstrdup(fmt);
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

/* Record a message for store_errmsg(); returns code so callers can write
 * `return store_fail(st, -EIO, ...)`. */
static int __attribute__((format(printf, 3, 4)))
store_fail(struct store *st, int code, const char *fmt, ...)
{
	va_list ap;

	free(st->err);
	va_start(ap, fmt);
	st->err = vformat(fmt, ap);
	va_end(ap);
	return code;
}

const char *store_errmsg(const struct store *st)
{
	return st && st->err ? st->err : "";
}

int q_fail(struct q *q, int code, const char *fmt, ...)
{
	va_list ap;

	/* the first failure is the cause; later ones are its echoes */
	if (q->rc < 0)
		return q->rc;
	free(q->st->err);
	va_start(ap, fmt);
	q->st->err = vformat(fmt, ap);
	va_end(ap);
	q->rc = code;
	return code;
}

const char *q_name(const struct q *q)
{
	return store_stmt_sql[q->id].name;
}

static int q_sqlite_fail(struct q *q)
{
	return q_fail(q, -EIO, "%s: %s", q_name(q),
		      sqlite3_errmsg(q->st->db));
}

int q_start(struct q *q, struct store *st, enum stmt_id id)
{
	q->st = st;
	q->id = id;
	q->rc = 0;
	q->s = st->stmt[id];
	if (!q->s && sqlite3_prepare_v2(st->db, store_stmt_sql[id].sql, -1,
					&st->stmt[id], NULL) != SQLITE_OK) {
		st->stmt[id] = NULL;
		return q_fail(q, -EIO, "prepare %s: %s", store_stmt_sql[id].name,
			      sqlite3_errmsg(st->db));
	}
	q->s = st->stmt[id];
	return 0;
}

/* Index of a named parameter; 0 (and q->rc set) when there is none, so a
 * typo in a name is an error rather than a column left NULL. */
static int q_param(struct q *q, const char *param)
{
	int i;

	if (q->rc < 0)
		return 0;
	i = sqlite3_bind_parameter_index(q->s, param);
	if (i == 0)
		q_fail(q, -EINVAL, "%s: no parameter %s", q_name(q), param);
	return i;
}

static void q_bound(struct q *q, int rc)
{
	if (rc != SQLITE_OK)
		q_sqlite_fail(q);
}

void q_bind_null_at(struct q *q, int i)
{
	if (q->rc >= 0 && i > 0)
		q_bound(q, sqlite3_bind_null(q->s, i));
}

void q_bind_i64_at(struct q *q, int i, int64_t v)
{
	if (q->rc >= 0 && i > 0)
		q_bound(q, sqlite3_bind_int64(q->s, i, v));
}

void q_bind_textn_at(struct q *q, int i, const char *s, size_t n)
{
	if (q->rc < 0 || i <= 0)
		return;
	if (!s) {
		q_bound(q, sqlite3_bind_null(q->s, i));
	} else if (n > INT32_MAX) {
		q_fail(q, -E2BIG, "%s: parameter %d is %zu bytes long",
		       q_name(q), i, n);
	} else {
		/* SQLITE_STATIC: the caller's string outlives the step,
		 * and q_end() clears the bindings */
		q_bound(q, sqlite3_bind_text(q->s, i, s, (int)n,
					     SQLITE_STATIC));
	}
}

void q_bind_text_copy_at(struct q *q, int i, const char *s)
{
	if (q->rc >= 0 && i > 0)
		q_bound(q, sqlite3_bind_text(q->s, i, s, -1, SQLITE_TRANSIENT));
}

void q_bind_null(struct q *q, const char *param)
{
	q_bind_null_at(q, q_param(q, param));
}

void q_bind_i64(struct q *q, const char *param, int64_t v)
{
	q_bind_i64_at(q, q_param(q, param), v);
}

void q_bind_u64(struct q *q, const char *param, uint64_t v)
{
	q_bind_i64_at(q, q_param(q, param), (int64_t)v);
}

void q_bind_text_at(struct q *q, int i, const char *s)
{
	q_bind_textn_at(q, i, s, s ? strlen(s) : 0);
}

void q_bind_text(struct q *q, const char *param, const char *s)
{
	q_bind_text_at(q, q_param(q, param), s);
}

void q_bind_textn(struct q *q, const char *param, const char *s, size_t n)
{
	q_bind_textn_at(q, q_param(q, param), s, n);
}

char *q_column_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *text;

	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	text = sqlite3_column_text(s, i);
	return xstrndup(text ? (const char *)text : "",
			(size_t)sqlite3_column_bytes(s, i));
}

int q_step(struct q *q)
{
	int rc;

	if (q->rc < 0)
		return q->rc;
	rc = sqlite3_step(q->s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return q_sqlite_fail(q);
}

int q_end(struct q *q)
{
	if (q->s) {
		sqlite3_reset(q->s);
		sqlite3_clear_bindings(q->s);
	}
	return q->rc;
}

int q_exec(struct q *q)
{
	while (q_step(q) > 0)
		;
	return q_end(q);
}

/* Run a statement of one integer row, e.g. PRAGMA user_version.  On
 * failure *ret_code is SQLite's code, to tell "not a database" apart. */
static int query_int(struct store *st, enum stmt_id id, int64_t *ret,
		     int *ret_code)
{
	struct q q;
	int r;

	q_start(&q, st, id);
	r = q_step(&q);
	if (r == 0)
		q_fail(&q, -EIO, "%s: no result", q_name(&q));
	else if (r > 0)
		*ret = sqlite3_column_int64(q.s, 0);
	if (ret_code)
		*ret_code = sqlite3_errcode(st->db);
	return q_end(&q);
}

int stmt_exec(struct store *st, enum stmt_id id)
{
	struct q q;

	q_start(&q, st, id);
	return q_exec(&q);
}

int savepoint_end(struct store *st, int rc)
{
	char *keep;

	if (rc >= 0)
		return stmt_exec(st, STMT_RELEASE);
	/* Keep the cause, not the echo: these fail only when SQLite has
	 * already rolled the whole transaction back itself. */
	keep = st->err;
	st->err = NULL;
	stmt_exec(st, STMT_ROLLBACK_TO);
	stmt_exec(st, STMT_RELEASE);
	free(st->err);
	st->err = keep;
	return rc;
}

int store_begin(struct store *st)
{
	int r = stmt_exec(st, STMT_BEGIN);

	if (r < 0 && sqlite3_errcode(st->db) == SQLITE_BUSY)
		return store_fail(st, r, "'%s' stayed locked by another writer "
				  "for %d minutes", st->path,
				  WRITE_BUSY_TIMEOUT_MS / 60000);
	return r;
}

int store_begin_read(struct store *st)
{
	return stmt_exec(st, STMT_BEGIN_READ);
}

int store_commit(struct store *st)
{
	return stmt_exec(st, STMT_COMMIT);
}

int store_rollback(struct store *st)
{
	/* Error paths call this without knowing whether SQLite already
	 * rolled back on its own (it does on SQLITE_FULL, for one), so
	 * nothing to undo is not an error. */
	if (sqlite3_get_autocommit(st->db))
		return 0;
	return stmt_exec(st, STMT_ROLLBACK);
}

int store_schema_version(void)
{
	if (schema_n_migrations == 0)
		return 0;
	return schema_migrations[schema_n_migrations - 1].version;
}

int store_source_seen(struct store *st, const char *path, int64_t except_id)
{
	struct q q;
	int rc;

	q_start(&q, st, STMT_SOURCE_SEEN);
	q_bind_text(&q, ":path", path);
	q_bind_i64(&q, ":id", except_id);
	rc = q_step(&q);
	if (q_end(&q) < 0)
		return q.rc;
	return rc > 0;
}

int store_add_source(struct store *st, const char *path, const char *host,
		     int64_t *ret_id)
{
	struct timespec ts;
	struct q q;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	q_start(&q, st, STMT_INSERT_SOURCE);
	q_bind_text(&q, ":path", path);
	q_bind_text(&q, ":host", host);
	q_bind_i64(&q, ":added_at",
		   (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
	r = q_exec(&q);
	if (r < 0)
		return r;
	*ret_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* mkdir -p of the directory part of path.  0700: OOM reports name every
 * process on the machine, so the database is private by default. */
static int make_parents(struct store *st)
{
	char *dir = xstrdup(st->path);
	char *end = strrchr(dir, '/');
	struct stat sb;
	int r = 0;

	if (end)
		*end = '\0';
	for (char *p = dir + 1; end && p <= end && r == 0; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		/* stat first: an existing directory on a read-only file
		 * system may fail mkdir() with EROFS rather than EEXIST */
		if (*dir && stat(dir, &sb) < 0 && mkdir(dir, 0700) < 0 &&
		    errno != EEXIST) {
			int e = errno;

			r = store_fail(st, -e,
				       "cannot create directory '%s': %s", dir,
				       strerror(e));
		}
		*p = c;
	}
	free(dir);
	return r;
}

static int check_migration_table(struct store *st)
{
	for (size_t i = 0; i < schema_n_migrations; i++) {
		const struct schema_migration *m = &schema_migrations[i];

		if (m->version != (int)i + 1)
			return store_fail(st, -EINVAL,
					  "migration '%s' has version %d, expected %zu: "
					  "migrations must be numbered 1, 2, 3...",
					  m->name, m->version, i + 1);
	}
	if (schema_n_migrations == 0)
		return store_fail(st, -EINVAL, "no schema migrations built in");
	return 0;
}

/*
 * A database on read-only media, or in a directory we may not write: a
 * WAL database needs its -shm file beside it even to be read, and cannot
 * get one there.  Nobody can write it there either (when no -wal file
 * holds changes not yet in it), so it is read as immutable.
 */
static int unwritable_place(const char *path)
{
	char *wal = xasprintf("%s-wal", path), *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	struct stat sb;
	int r;

	if (slash)
		slash[slash == dir] = '\0';
	r = access(slash ? dir : ".", W_OK) < 0 && errno != ENOENT &&
	    (stat(wal, &sb) < 0 || sb.st_size == 0);
	free(wal);
	free(dir);
	return r;
}

/*
 * The database file is never opened through a symbolic link.  oomlens
 * runs as root from its timer, and a dangling link planted where the
 * database will be would have it create one wherever the link points.
 * The check here gives the message; SQLITE_OPEN_NOFOLLOW closes the race
 * between it and the open.  That flag refuses a link anywhere in the
 * name, so the name opened has its directory part resolved: directories
 * that are links stay allowed.  Returns that name (caller frees), or
 * NULL with the error set.
 */
static char *db_file_name(struct store *st)
{
	const char *base = strrchr(st->path, '/');
	char *dir, *real, *name;
	struct stat sb;

	if (lstat(st->path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		store_fail(st, -ELOOP, "'%s' is a symbolic link: the database "
			   "is not opened through one (it could point anywhere, "
			   "even where nothing is yet); give the file's own path",
			   st->path);
		return NULL;
	}
	if (!base)
		return xstrdup(st->path);
	dir = xstrndup(st->path, base == st->path ? 1 : (size_t)(base - st->path));
	real = realpath(dir, NULL);
	/* unresolvable: SQLite's open fails and says so */
	name = real ? xasprintf("%s%s", strcmp(real, "/") ? real : "", base)
		    : xstrdup(st->path);
	free(real);
	free(dir);
	return name;
}

/* SQLite's count of the memory it holds takes a lock around every
 * allocation, for sqlite3_memory_used(), which nothing here asks.  Only
 * before SQLite starts: later it refuses (SQLITE_MISUSE), harmlessly. */
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void sqlite_setup(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* The message of a failed sqlite3_open_v2(). */
static int open_failed(struct store *st, int rc)
{
	if (st->db && sqlite3_extended_errcode(st->db) == SQLITE_CANTOPEN_SYMLINK)
		return store_fail(st, -ELOOP, "'%s' is a symbolic link (or "
				  "became one): the database is not opened "
				  "through one", st->path);
	return store_fail(st, -EIO, "cannot open '%s': %s", st->path,
			  st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
}

static int open_immutable(struct store *st, const char *name)
{
	struct buf uri = BUF_INIT;
	int rc;

	buf_add(&uri, "file:", 5);
	for (const char *p = name; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_addf(&uri, "%%%02X", (unsigned char)*p);
		else
			buf_addch(&uri, *p);
	}
	buf_add(&uri, "?immutable=1", 13);	/* with its NUL */
	rc = sqlite3_open_v2(uri.data, &st->db, SQLITE_OPEN_READONLY |
			     SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW | OPEN_UNLOCKED,
			     NULL);
	buf_release(&uri);
	if (rc != SQLITE_OK)
		return open_failed(st, rc);
	return stmt_exec(st, STMT_FOREIGN_KEYS);
}

static int open_db(struct store *st)
{
	struct stat sb;
	char *name;
	int flags, rc;

	if (st->mode == STORE_READ) {
		if (lstat(st->path, &sb) < 0 && errno == ENOENT)
			return store_fail(st, -ENOENT,
					  "no database at '%s': run 'oomlens ingest' first",
					  st->path);
		flags = SQLITE_OPEN_READONLY;
	} else {
		rc = make_parents(st);
		if (rc < 0)
			return rc;
		flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	}
	name = db_file_name(st);
	if (!name)
		return -ELOOP;
	if (st->mode == STORE_READ && unwritable_place(name)) {
		rc = open_immutable(st, name);
		free(name);
		return rc;
	}
	rc = sqlite3_open_v2(name, &st->db,
			     flags | SQLITE_OPEN_NOFOLLOW | OPEN_UNLOCKED, NULL);
	free(name);
	if (rc != SQLITE_OK)
		return open_failed(st, rc);
	sqlite3_busy_timeout(st->db, st->mode == STORE_WRITE
					 ? WRITE_BUSY_TIMEOUT_MS
					 : BUSY_TIMEOUT_MS);
	/* per connection, and a no-op inside a transaction: set it now */
	return stmt_exec(st, STMT_FOREIGN_KEYS);
}

/* End a failed transaction; the message says what failed, not that the
 * rollback had nothing to do. */
static void rollback_keeping_error(struct store *st)
{
	char *keep = st->err;

	st->err = NULL;
	store_rollback(st);
	free(st->err);
	st->err = keep;
}

/*
 * Is this a database we may read, and write?  Nothing here writes, so a
 * file that is not ours is left exactly as it was.
 *
 * Read mode never writes, not even to migrate: an older schema (or an
 * empty file) is refused with a pointer to `oomlens ingest`, which opens
 * in write mode and migrates.  A query command thus never changes a
 * database behind the user's back, and works on read-only media.
 */
static int check_db(struct store *st)
{
	const char *path = st->path;
	int64_t app_id = 0, version = 0, n_objects = 0;
	int ours = store_schema_version();
	int code = SQLITE_OK;

	/* One snapshot for the three reads: another oomlens may be creating
	 * the database right now, and its first migration must not be seen
	 * half (tables and user_version, but application_id read before). */
	if (store_begin_read(st) < 0)
		code = sqlite3_errcode(st->db);
	/* The first read of the file: a text file fails here, and so does
	 * a WAL database whose -shm file cannot be made. */
	if (code != SQLITE_OK ||
	    query_int(st, STMT_GET_APP_ID, &app_id, &code) < 0) {
		rollback_keeping_error(st);
		if (code == SQLITE_NOTADB)
			return store_fail(st, -EINVAL,
					  "'%s' is not an oomlens database", path);
		if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN)
			return store_fail(st, -EROFS, "cannot write to '%s': "
					  "the database, or the directory it is "
					  "in, is read-only", path);
		return -EIO;
	}
	if (query_int(st, STMT_GET_USER_VERSION, &version, NULL) < 0 ||
	    query_int(st, STMT_COUNT_SCHEMA, &n_objects, NULL) < 0) {
		rollback_keeping_error(st);
		return -EIO;
	}
	store_commit(st);
	/* a file we may not write is opened read-only without a word */
	if (st->mode == STORE_WRITE && sqlite3_db_readonly(st->db, "main") == 1)
		return store_fail(st, -EROFS, "cannot write to '%s': the "
				  "database, or the directory it is in, is "
				  "read-only", path);
	/* application_id 0 is a fresh file, or another program's database
	 * that never set one: only the former is ours to take. */
	if ((app_id != 0 && app_id != OOMLENS_APP_ID) ||
	    (app_id == 0 && (version != 0 || n_objects != 0)))
		return store_fail(st, -EINVAL,
				  "'%s' is not an oomlens database", path);
	if (version > ours)
		return store_fail(st, -ENOTSUP,
				  "'%s' was written by a newer oomlens (schema %" PRId64
				  ", this build knows %d); upgrade oomlens",
				  path, version, ours);
	if (st->mode == STORE_READ && version == 0)
		return store_fail(st, -ENOENT,
				  "no oomlens data in '%s': run 'oomlens ingest' first",
				  path);
	if (st->mode == STORE_READ && version < ours)
		return store_fail(st, -ENOTSUP,
				  "'%s' has schema %" PRId64 ", this build needs %d: "
				  "run 'oomlens ingest' to upgrade it",
				  path, version, ours);
	return 0;
}

/*
 * Apply one migration: its script, application_id and user_version in one
 * transaction, so a crash leaves the database at the old version or the
 * new one, never in between.
 */
static int run_migration(struct store *st, const struct schema_migration *m,
			 int whole)
{
	char pragma[64];
	char *msg = NULL;
	int64_t version = 0;
	int r;

	r = store_begin(st);
	if (r < 0)
		return r;
	/* Another oomlens may have migrated between check_db() and our
	 * BEGIN IMMEDIATE: look again under the write lock. */
	r = query_int(st, STMT_GET_USER_VERSION, &version, NULL);
	if (r >= 0 && (version >= m->version || (whole && version != 0)))
		return store_commit(st);
	if (r >= 0 &&
	    sqlite3_exec(st->db, m->sql, NULL, NULL, &msg) != SQLITE_OK)
		r = store_fail(st, -EIO, "migration '%s' of '%s': %s", m->name,
			       st->path, msg ? msg : sqlite3_errmsg(st->db));
	sqlite3_free(msg);
	if (r >= 0)
		r = stmt_exec(st, STMT_SET_APP_ID);
	if (r >= 0) {
		/* PRAGMA takes no bound parameters.  The number is our own
		 * compiled-in version, never input, and the statement runs
		 * once per migration, so it is formatted and not kept. */
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
			 m->version);
		if (sqlite3_exec(st->db, pragma, NULL, NULL, NULL) != SQLITE_OK)
			r = store_fail(st, -EIO, "set user_version: %s",
				       sqlite3_errmsg(st->db));
	}
	if (r >= 0)
		r = store_commit(st);
	if (r < 0) {
		char *keep = st->err;

		/* keep the cause, not the echo of the rollback */
		st->err = NULL;
		store_rollback(st);
		free(st->err);
		st->err = keep;
	}
	return r;
}

static int migrate(struct store *st)
{
	struct q q;
	int r;

	/* WAL lets readers (oomlens list, sql) run during an ingest.  It is
	 * set before the first migration so that one runs in WAL too.  On a
	 * file system without shared memory SQLite keeps the old mode: that
	 * still works, so the resulting mode is not checked. */
	/* Changing the journal mode takes an exclusive lock, and SQLite does
	 * not wait for it through the busy handler: when another oomlens is
	 * opening the same new database, try again for a while. */
	for (int tries = 0;; tries++) {
		q_start(&q, st, STMT_JOURNAL_WAL);
		r = q_exec(&q);
		if (r >= 0 || sqlite3_errcode(st->db) != SQLITE_BUSY ||
		    tries == 100)
			break;
		sqlite3_sleep(50);
	}
	if (r >= 0)
		r = stmt_exec(st, STMT_SYNC_NORMAL);
	if (r >= 0)
		r = stmt_exec(st, STMT_TEMP_MEMORY);
	/* a new database in one step, from what the migrations build; one
	 * that another oomlens began meanwhile goes on migration by
	 * migration (each skips what is done) */
	if (r >= 0)
		r = run_migration(st, &(struct schema_migration){
			schema_migrations[schema_n_migrations - 1].version,
			"the schema image", schema_image }, 1);
	for (size_t i = 0; i < schema_n_migrations && r >= 0; i++)
		r = run_migration(st, &schema_migrations[i], 0);
	return r;
}

int store_open(const char *path, enum store_mode mode, struct store **ret,
	       char **ret_err)
{
	struct store *st = xcalloc(1, sizeof(*st));
	int r;

	pthread_once(&sqlite_once, sqlite_setup);
	*ret = NULL;
	*ret_err = NULL;
	st->path = xstrdup(path);
	st->mode = mode;
	r = check_migration_table(st);
	if (r >= 0)
		r = open_db(st);
	if (r >= 0)
		r = check_db(st);
	if (r >= 0 && mode == STORE_WRITE)
		r = migrate(st);
	if (r < 0) {
		*ret_err = st->err ? st->err
				   : xasprintf("cannot open '%s': %s", path,
					       strerror(-r));
		st->err = NULL;
		store_close(st);
		return r;
	}
	*ret = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < STMT_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	/* an open transaction is rolled back; WAL is checkpointed */
	sqlite3_close(st->db);
	free(st->path);
	free(st->err);
	free(st);
}
