/* test-memcg-stat.c: the memcg stats text of each kernel era into kB,
 * on samples from tests/fixtures; values computed by hand. */
#include "check.h"
#include "memcg-stat.h"

/* memcg-v2-5.15.dmesg: cgroup v2 memory.stat, bytes */
static const char v2_515[] =
	"anon 522215424\nfile 9482240\nkernel_stack 983040\n"
	"pagetables 1568768\npercpu 61440\nsock 0\nshmem 0\n"
	"file_mapped 8830976\nfile_dirty 0\nanon_thp 0\n"
	"inactive_anon 521867264\nslab_reclaimable 1089536\n"
	"slab_unreclaimable 1470464\nslab 2560000\n"
	"workingset_refault_file 1843\npgfault 1296541\n";

/* era-6.8-arm64-64k.dmesg: 6.8 adds "kernel" */
static const char v2_68[] =
	"anon 8103526400\nfile 102236160\nkernel 41287680\n"
	"kernel_stack 2949120\npagetables 3801088\nsec_pagetables 0\n"
	"percpu 1474560\nsock 0\nvmalloc 0\nshmem 0\n";

/* era-4.19.kern.log: v1, one line of " key:NKB" */
static const char v1_419[] =
	"cache:0KB rss:520080KB rss_huge:0KB shmem:0KB mapped_file:0KB "
	"dirty:0KB writeback:0KB swap:0KB inactive_anon:0KB "
	"active_anon:520080KB inactive_file:0KB active_file:0KB "
	"unevictable:0KB\n";

/* era-rhel7-3.10.messages: no shmem key yet */
static const char v1_310[] =
	"cache:12KB rss:1048564KB rss_huge:0KB mapped_file:0KB swap:0KB "
	"inactive_anon:0KB active_anon:1048564KB inactive_file:12KB "
	"active_file:0KB unevictable:0KB\n";

/* 6.5+ cgroup v1: v1 memory.stat in bytes, own then total_ */
static const char v1_65[] =
	"cache 4096\nrss 8192\nshmem 0\nmapped_file 0\nswap 0\n"
	"pgfault 12\ntotal_cache 12288\ntotal_rss 1048576\n"
	"total_shmem 4096\ntotal_mapped_file 8192\ntotal_swap 0\n";

static void test_v2(void)
{
	struct memcg_stat st;

	CHECK_EQ(memcg_stat_parse(v2_515, &st), 11);
	CHECK_EQ(st.format, MCS_FORMAT_BYTES);
	CHECK_EQ(st.own_only, 0);
	CHECK_EQ(st.kb[MCS_ANON], 509976);	/* 522215424 / 1024 */
	CHECK_EQ(st.kb[MCS_FILE], 9260);
	CHECK_EQ(st.kb[MCS_KERNEL_STACK], 960);
	CHECK_EQ(st.kb[MCS_PAGETABLES], 1532);
	CHECK_EQ(st.kb[MCS_PERCPU], 60);
	CHECK_EQ(st.kb[MCS_FILE_MAPPED], 8624);
	CHECK_EQ(st.kb[MCS_SLAB], 2500);	/* 2560000 / 1024 */
	CHECK_EQ(st.kb[MCS_SLAB_RECLAIMABLE], 1064);
	CHECK_EQ(st.kb[MCS_SLAB_UNRECLAIMABLE], 1436);
	CHECK(memcg_stat_has(&st, MCS_SOCK) && !st.kb[MCS_SOCK], "sock 0");
	CHECK(memcg_stat_has(&st, MCS_SHMEM) && !st.kb[MCS_SHMEM], "shmem");
	/* 5.15 prints no "kernel" line and v2 no swap: unknown, not 0 */
	CHECK(!memcg_stat_has(&st, MCS_KERNEL), "kernel unknown");
	CHECK(!memcg_stat_has(&st, MCS_SWAP), "swap unknown");

	CHECK_EQ(memcg_stat_parse(v2_68, &st), 8);
	CHECK_EQ(st.kb[MCS_ANON], 7913600);	/* 8103526400 / 1024 */
	CHECK_EQ(st.kb[MCS_FILE], 99840);
	CHECK_EQ(st.kb[MCS_KERNEL], 40320);
	CHECK_EQ(st.kb[MCS_KERNEL_STACK], 2880);
	CHECK_EQ(st.kb[MCS_PAGETABLES], 3712);
	CHECK_EQ(st.kb[MCS_PERCPU], 1440);
	CHECK(!memcg_stat_has(&st, MCS_SLAB), "slab not printed");
}

static void test_v1(void)
{
	struct memcg_stat st;

	CHECK_EQ(memcg_stat_parse(v1_419, &st), 5);
	CHECK_EQ(st.format, MCS_FORMAT_V1_KB);
	CHECK_EQ(st.own_only, 1);
	CHECK_EQ(st.kb[MCS_ANON], 520080);
	CHECK(memcg_stat_has(&st, MCS_FILE) && !st.kb[MCS_FILE], "cache");
	CHECK(memcg_stat_has(&st, MCS_SHMEM), "shmem");
	CHECK(memcg_stat_has(&st, MCS_SWAP), "swap");
	CHECK(!memcg_stat_has(&st, MCS_SLAB), "no slab in v1");
	CHECK(!memcg_stat_has(&st, MCS_KERNEL), "no kernel in v1");

	CHECK_EQ(memcg_stat_parse(v1_310, &st), 4);
	CHECK_EQ(st.kb[MCS_ANON], 1048564);
	CHECK_EQ(st.kb[MCS_FILE], 12);
	CHECK(!memcg_stat_has(&st, MCS_SHMEM), "3.10 prints no shmem");

	CHECK_EQ(memcg_stat_parse(v1_65, &st), 5);
	CHECK_EQ(st.format, MCS_FORMAT_BYTES);
	CHECK_EQ(st.own_only, 0);	/* total_* are the hierarchy's */
	CHECK_EQ(st.kb[MCS_ANON], 1024);
	CHECK_EQ(st.kb[MCS_FILE], 12);
	CHECK_EQ(st.kb[MCS_SHMEM], 4);
	CHECK_EQ(st.kb[MCS_FILE_MAPPED], 8);
}

static void test_damaged(void)
{
	struct memcg_stat st;

	CHECK_EQ(memcg_stat_parse(NULL, &st), 0);
	CHECK_EQ(st.format, MCS_FORMAT_NONE);
	CHECK_EQ(memcg_stat_parse("", &st), 0);
	/* cut values, a missing unit, text where a number goes */
	CHECK_EQ(memcg_stat_parse("anon 12x\nfile \nshmem -1\n", &st), 0);
	CHECK_EQ(memcg_stat_parse("cache:12 rss:KB shmem:4kb\n", &st), 0);
	CHECK_EQ(memcg_stat_parse("anon 99999999999999999999999\n", &st), 0);
	CHECK_EQ(memcg_stat_parse("rss:8KB", &st), 1);
	CHECK_EQ(st.kb[MCS_ANON], 8);
}

int main(void)
{
	test_v2();
	test_v1();
	test_damaged();
	return check_done("test-memcg-stat");
}
