// Pins the trace hashes of a fixed set of runs (issue 17): optimisations of the kernel, the trace hasher,
// the run queue and the explorers must leave every event, choice and hash exactly as it was. A deliberate
// model change regenerates the tables below from the printed output of a failing run of this test.
// Trace hash format 2 (kvm-sim TRACE_FORMAT_VERSION) moved the hash column of every row and nothing else:
// steps, choices (count and digest), virtual time and outcome are those of format 1, row for row.
import { describe, expect, it } from 'vitest';
import { explorationPins, pinRow, pinnedRuns } from './trace-pins.js';

const RUN_PINS: Readonly<Record<string, string>> = {
  'boot upstream-2025 seed=1': '70d094c829ed5dae steps=1454 choices=68/1f7db1b0 t=435260 abort',
  'boot upstream-2025 seed=5': '06be4774f83b0573 steps=1456 choices=72/da99705f t=435880 abort',
  'boot rfc-v6 seed=1': '723ccf3253c3c61f steps=2379 choices=686/da88a67c t=807020 ok',
  'boot rfc-v6 seed=5': '2ef07340edfff1f9 steps=2401 choices=690/90841d97 t=826260 ok',
  'boot realize-once seed=1': 'b9f43ddbd9cde1d0 steps=1744 choices=139/05fbda6c t=515080 ok',
  'boot realize-once seed=5': '9fed1989724a8848 steps=1746 choices=149/d782bbb9 t=517340 ok',
  'boot pause-always seed=1': 'bc81147d664160f4 steps=2752 choices=889/dd23cf96 t=1043200 ok',
  'boot pause-always seed=5': 'ea74d3f0a156ef2f steps=2680 choices=813/e2163551 t=991740 ok',
  'hotplug-churn upstream-2025 seed=1': 'c79521f5aaf0c6d0 steps=894 choices=62/59402500 t=296580 abort',
  'hotplug-churn upstream-2025 seed=5': 'ac2da92567b85021 steps=887 choices=57/9c693d9e t=292720 abort',
  'hotplug-churn rfc-v6 seed=1': '91381105785a9d70 steps=2752 choices=492/8cd8f70b t=11920020 ok',
  'hotplug-churn rfc-v6 seed=5': 'bd72c9a0631eb63c steps=2719 choices=486/380d0034 t=10861000 ok',
  'hotplug-churn realize-once seed=1': '73ee6e164285fe6b steps=2520 choices=298/9af5ad98 t=11818460 ok',
  'hotplug-churn realize-once seed=5': '4bc52337c9049491 steps=2520 choices=350/89710061 t=10780200 ok',
  'hotplug-churn pause-always seed=1': '71a2ed3dc4841bbc steps=4064 choices=1318/0d7a6e49 t=12613840 ok',
  'hotplug-churn pause-always seed=5': '9cb2aa3839b4f9d3 steps=4081 choices=1423/0e915fe7 t=11590480 ok',
  'parallel-cpu-on upstream-2025 seed=1': 'c99f865ab2356d10 steps=896 choices=65/1aca4071 t=296620 abort',
  'parallel-cpu-on upstream-2025 seed=5': 'c4cebc7030c3d7b1 steps=901 choices=72/92884351 t=294900 abort',
  'parallel-cpu-on rfc-v6 seed=1': '19a46a21ea5409b5 steps=1196 choices=235/71e8c820 t=391120 ok',
  'parallel-cpu-on rfc-v6 seed=5': '2f05a1af0d10442b steps=1251 choices=276/6e3f2115 t=423380 ok',
  'parallel-cpu-on realize-once seed=1': 'af17cfa7e4099ccc steps=1056 choices=209/da04b365 t=332760 ok',
  'parallel-cpu-on realize-once seed=5': 'fc227d37b7e96576 steps=1060 choices=178/c85ed47f t=336660 ok',
  'parallel-cpu-on pause-always seed=1': 'c55263fcd6d6d0c1 steps=1000 choices=120/4f358758 t=364980 stranded-pauser',
  'parallel-cpu-on pause-always seed=5': 'c64150d7999fc72f steps=1421 choices=388/8c51c179 t=522520 ok',
  'reboot-loop upstream-2025 seed=1': '83fa61ba9dd8589e steps=652 choices=20/3e61d286 t=230010 abort',
  'reboot-loop upstream-2025 seed=5': 'fff65376f2fcdf8f steps=651 choices=24/8167df0a t=229090 abort',
  'reboot-loop rfc-v6 seed=1': '3a8d0109658ea8b7 steps=2075 choices=322/76951a69 t=642690 ok',
  'reboot-loop rfc-v6 seed=5': '1c883a77423c5699 steps=2085 choices=318/357567aa t=664090 ok',
  'reboot-loop realize-once seed=1': 'ea01365a6702eb01 steps=1958 choices=223/98961cb9 t=600470 ok',
  'reboot-loop realize-once seed=5': '75c0bc2c24988184 steps=1970 choices=218/67470f36 t=626450 ok',
  'reboot-loop pause-always seed=1': '029f9f03bcaaeb7e steps=1645 choices=356/d180f3cf t=5000609670 stranded-pauser',
  'reboot-loop pause-always seed=5': 'fc280c7ef3e28ef5 steps=2799 choices=737/a1a1a38d t=1076590 ok',
  'migration upstream-2025 seed=1': '413d42a8da0e871a steps=1227 choices=1035/f427d20e t=269670 abort',
  'migration upstream-2025 seed=5': '2f00d97e8416f174 steps=1227 choices=1062/1b6d8dfd t=268110 abort',
  'migration rfc-v6 seed=1': 'c9f72760300a6fd5 steps=3980 choices=1600/fb62e120 t=10274851 ok',
  'migration rfc-v6 seed=5': '19f98cddd515e5d1 steps=3974 choices=1508/4cc19cfd t=9166410 ok',
  'migration realize-once seed=1': 'efc48281bcdd71ac steps=3769 choices=1405/4b7a391c t=10119081 ok',
  'migration realize-once seed=5': '2a05705c709dd79f steps=3764 choices=1422/ca56fec8 t=9132949 ok',
  'migration pause-always seed=1': 'f62d1ea7fb30d7fe steps=4734 choices=2021/fb829506 t=5010665311 stranded-pauser',
  'migration pause-always seed=5': '041ad83f629405ed steps=4835 choices=2122/0650a3b7 t=9655717 ok',
  'device-set upstream-2025 seed=1': '7df83b1157433e22 steps=1025 choices=51/85320217 t=307200 abort',
  'device-set upstream-2025 seed=5': 'b8c39a228d7fa87b steps=1023 choices=43/032c20e7 t=309500 abort',
  'device-set rfc-v6 seed=1': '26e9b074075f11e5 steps=2276 choices=559/0f6a284b t=7962820 ok',
  'device-set rfc-v6 seed=5': 'd91fdb19ec3266da steps=2276 choices=550/1f4e8ad8 t=7954080 ok',
  'device-set realize-once seed=1': '007cab621d26d2d3 steps=66694 choices=154/8f3a276c t=5003158280 guest-timeout',
  'device-set realize-once seed=5': '0470b06699066b21 steps=66694 choices=141/51f93d0e t=5003158180 guest-timeout',
  'device-set pause-always seed=1': '81907d9dad1a138a steps=3193 choices=1281/46fa2e14 t=7464640 ok',
  'device-set pause-always seed=5': '2ead794dcf505112 steps=3243 choices=1330/f9b951e4 t=7461400 ok',
  'stop-cont upstream-2025 seed=1': '651fb72084b0a9b0 steps=928 choices=105/836cf863 t=324760 abort',
  'stop-cont upstream-2025 seed=5': 'a6c0f9fac9ca98af steps=926 choices=100/362f77e9 t=320870 abort',
  'stop-cont rfc-v6 seed=1': 'e0c6068ff15476ed steps=1559 choices=450/b4a5b58d t=1471900 ok',
  'stop-cont rfc-v6 seed=5': '76c4677d535b2646 steps=1440 choices=376/dfe1f781 t=1463770 ok',
  'stop-cont realize-once seed=1': 'fb275281a560d285 steps=1334 choices=252/33245fef t=1366940 ok',
  'stop-cont realize-once seed=5': '347b8736e33f52ef steps=1216 choices=240/4174c591 t=1360210 ok',
  'stop-cont pause-always seed=1': '11d08bab9143d4cf steps=1696 choices=548/5ce12ac5 t=1544100 ok',
  'stop-cont pause-always seed=5': '0f803ae21f2762ea steps=1595 choices=467/152ad603 t=1564910 ok',
  'foreign-holder upstream-2025 seed=1': 'c158a657260cfb62 steps=924 choices=117/0900911b t=320660 abort',
  'foreign-holder upstream-2025 seed=5': 'b1ea7c1cdcd19b81 steps=921 choices=95/38a227fb t=316870 abort',
  'foreign-holder rfc-v6 seed=1': '8313305fde56106b steps=1321 choices=331/d9afbf55 t=471320 ok',
  'foreign-holder rfc-v6 seed=5': 'ac5e3dbfb9cf3f71 steps=1314 choices=299/aff1e74f t=466850 ok',
  'foreign-holder realize-once seed=1': '6492d8862e96d623 steps=1088 choices=131/668d61ff t=367440 ok',
  'foreign-holder realize-once seed=5': '028db33ad0636c88 steps=1086 choices=159/0b58e5f3 t=357690 ok',
  'foreign-holder pause-always seed=1': '75913791a61f9aec steps=1478 choices=416/b0fa9ed9 t=584000 ok',
  'foreign-holder pause-always seed=5': 'ebe5f8861bab85c3 steps=1465 choices=413/a9f69a6f t=564570 ok',
  'boot rfc-v6 target-vcpu': '04eaa7d67cca8a95 steps=1166 choices=123/1d7047c0 t=424730 ok',
  'boot upstream-2025 lockless-shadow': 'fc65dc6175ce5c17 steps=1368 choices=123/1d7047c0 t=432270 ok',
  'parallel-cpu-on rfc-v6 window=0': 'aae9a5ba37a3735f steps=1186 choices=22/3c43954d t=348080 ok',
  'parallel-cpu-on rfc-v6 window=20000': 'b06e3e2d2e026b0e steps=1806 choices=669/517c2d23 t=896190 ok',
  'hotplug-churn pause-always resets=2': 'a9f4ba5dfaccd936 steps=2770 choices=891/e464c94c t=6315180 ok',
  'boot rfc-v6 N=24': '245a69e0d0c4fb22 steps=25443 choices=12768/b550033d t=9142140 ok',
};

const EXPLORATION_PINS: Readonly<Record<string, string>> = {
  'explore pct 60': 'abort:1,ok:50,stranded-pauser:9 schedules=dd0dc90f stranded-pauser@ca6ed4eacf2718e4/183,stranded-pauser@e4833e735b796fd8/238,stranded-pauser@33824ddeee60fdee/209,abort@7795c2a234a21ecb/133',
  'explore random 40': 'ok:40 schedules=a1b71a9e ',
  'explore exhaustive unpruned 120': 'ok:120 schedules=b75695af ',
  'replay full parallel-cpu-on seed=9': 'a4d7b31056dd1f1d same=true',
};

function table(rows: Record<string, string>): string {
  return Object.entries(rows)
    .map(([k, v]) => `  '${k}': '${v}',`)
    .join('\n');
}

describe('trace hashes are pinned', () => {
  it('every pinned run gives its pinned trace hash, steps, choices and outcome', () => {
    const got: Record<string, string> = {};
    for (const r of pinnedRuns()) got[r.id] = pinRow(r.spec);
    if (JSON.stringify(got) !== JSON.stringify(RUN_PINS)) console.log(`RUN_PINS now:\n${table(got)}`);
    expect(got).toEqual(RUN_PINS);
  });

  it('explorations find the same outcomes and failures with the same hashes', () => {
    const got = explorationPins();
    if (JSON.stringify(got) !== JSON.stringify(EXPLORATION_PINS)) console.log(`EXPLORATION_PINS now:\n${table(got)}`);
    expect(got).toEqual(EXPLORATION_PINS);
  });
});
