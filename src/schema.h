/*
 * schema.h: the schema migrations compiled into the binary.
 *
 * scripts/embed-schema.sh generates the table from schema/NNN-*.sql at
 * build time.  Versions must run 1, 2, 3... in table order; store_open()
 * checks that and refuses to run otherwise.  Only the store reads this.
 */
#ifndef OOMLENS_SCHEMA_H
#define OOMLENS_SCHEMA_H

#include <stddef.h>

struct schema_migration {
	int version;		/* leading digits of the file name */
	const char *name;	/* file name, for messages */
	const char *sql;	/* the whole file, run with sqlite3_exec() */
};

extern const struct schema_migration schema_migrations[];
extern const size_t schema_n_migrations;

#endif
