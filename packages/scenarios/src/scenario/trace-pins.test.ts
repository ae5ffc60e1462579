// Pins the trace hashes of a fixed set of runs (issue 17): optimisations of the kernel, the trace hasher,
// the run queue and the explorers must leave every event, choice and hash exactly as it was. A deliberate
// model change regenerates the tables below from the printed output of a failing run of this test.
// Trace hash formats 2 and 3 (kvm-sim TRACE_FORMAT_VERSION) each moved the hash column of every row and
// nothing else: steps, choices (count and digest), virtual time and outcome are those of format 1, row for
// row, and FORMAT_2_PINS shows that each run's events are still those format 2 hashed.
import { describe, expect, it } from 'vitest';
import { runScenario } from './run.js';
import { TraceHasherV2 } from './trace-hash-v2.js';
import { explorationPins, pinRow, pinnedRuns } from './trace-pins.js';

const RUN_PINS: Readonly<Record<string, string>> = {
  'boot upstream-2025 seed=1': '87d636ebec8e8b98 steps=1454 choices=68/1f7db1b0 t=435260 abort',
  'boot upstream-2025 seed=5': '200c61bae29cb83c steps=1456 choices=72/da99705f t=435880 abort',
  'boot rfc-v6 seed=1': 'aba4e7491957109a steps=2379 choices=686/da88a67c t=807020 ok',
  'boot rfc-v6 seed=5': 'e77b7bbfe4564fdb steps=2401 choices=690/90841d97 t=826260 ok',
  'boot realize-once seed=1': '8cfa16c98909d6d1 steps=1744 choices=139/05fbda6c t=515080 ok',
  'boot realize-once seed=5': 'd2bc8a377be5c6f0 steps=1746 choices=149/d782bbb9 t=517340 ok',
  'boot pause-always seed=1': '83fdccd0ef585850 steps=2752 choices=889/dd23cf96 t=1043200 ok',
  'boot pause-always seed=5': '90ac4e89b26e15a7 steps=2680 choices=813/e2163551 t=991740 ok',
  'hotplug-churn upstream-2025 seed=1': 'f5013f050ec4baf7 steps=894 choices=62/59402500 t=296580 abort',
  'hotplug-churn upstream-2025 seed=5': '21e51991e9558915 steps=887 choices=57/9c693d9e t=292720 abort',
  'hotplug-churn rfc-v6 seed=1': 'd417d54e2c818a4c steps=2752 choices=492/8cd8f70b t=11920020 ok',
  'hotplug-churn rfc-v6 seed=5': 'ea5ea5f15df0f968 steps=2719 choices=486/380d0034 t=10861000 ok',
  'hotplug-churn realize-once seed=1': '643472ad384e5a3c steps=2520 choices=298/9af5ad98 t=11818460 ok',
  'hotplug-churn realize-once seed=5': '2a52b9876f041b14 steps=2520 choices=350/89710061 t=10780200 ok',
  'hotplug-churn pause-always seed=1': '574b17a90e0c8812 steps=4064 choices=1318/0d7a6e49 t=12613840 ok',
  'hotplug-churn pause-always seed=5': '25c5798d23eebd3b steps=4081 choices=1423/0e915fe7 t=11590480 ok',
  'parallel-cpu-on upstream-2025 seed=1': '8bb7b9be45cb9ab2 steps=896 choices=65/1aca4071 t=296620 abort',
  'parallel-cpu-on upstream-2025 seed=5': 'f66ae0e41c3a4f47 steps=901 choices=72/92884351 t=294900 abort',
  'parallel-cpu-on rfc-v6 seed=1': '8a51184b2e4f7e10 steps=1196 choices=235/71e8c820 t=391120 ok',
  'parallel-cpu-on rfc-v6 seed=5': 'ed55350c01967a43 steps=1251 choices=276/6e3f2115 t=423380 ok',
  'parallel-cpu-on realize-once seed=1': '6bc91626c82183a7 steps=1056 choices=209/da04b365 t=332760 ok',
  'parallel-cpu-on realize-once seed=5': 'acb6a674f2015c35 steps=1060 choices=178/c85ed47f t=336660 ok',
  'parallel-cpu-on pause-always seed=1': '29079f52ee903d5d steps=1000 choices=120/4f358758 t=364980 stranded-pauser',
  'parallel-cpu-on pause-always seed=5': '9d9591fbd2e4eb46 steps=1421 choices=388/8c51c179 t=522520 ok',
  'reboot-loop upstream-2025 seed=1': '0454a5c67410cac6 steps=652 choices=20/3e61d286 t=230010 abort',
  'reboot-loop upstream-2025 seed=5': '784da309ca20d684 steps=651 choices=24/8167df0a t=229090 abort',
  'reboot-loop rfc-v6 seed=1': '730dc6ad05eb1c17 steps=2075 choices=322/76951a69 t=642690 ok',
  'reboot-loop rfc-v6 seed=5': 'c6d49a9913b83b7f steps=2085 choices=318/357567aa t=664090 ok',
  'reboot-loop realize-once seed=1': '79fd17001aa25877 steps=1958 choices=223/98961cb9 t=600470 ok',
  'reboot-loop realize-once seed=5': '2d7df3ef73fcbcff steps=1970 choices=218/67470f36 t=626450 ok',
  'reboot-loop pause-always seed=1': '1709b40ccde03d30 steps=1645 choices=356/d180f3cf t=5000609670 stranded-pauser',
  'reboot-loop pause-always seed=5': 'e0838d353f23d40e steps=2799 choices=737/a1a1a38d t=1076590 ok',
  'migration upstream-2025 seed=1': '8a910cef9b284475 steps=1227 choices=1035/f427d20e t=269670 abort',
  'migration upstream-2025 seed=5': '29223af18e29182f steps=1227 choices=1062/1b6d8dfd t=268110 abort',
  'migration rfc-v6 seed=1': '638ba21fbd0baea5 steps=3980 choices=1600/fb62e120 t=10274851 ok',
  'migration rfc-v6 seed=5': '06474fc4fe196298 steps=3974 choices=1508/4cc19cfd t=9166410 ok',
  'migration realize-once seed=1': '91bf62ec2deb2406 steps=3769 choices=1405/4b7a391c t=10119081 ok',
  'migration realize-once seed=5': '0b7ee3b085c6f387 steps=3764 choices=1422/ca56fec8 t=9132949 ok',
  'migration pause-always seed=1': '426dba7926f3b490 steps=4734 choices=2021/fb829506 t=5010665311 stranded-pauser',
  'migration pause-always seed=5': '2bb5bc7e2e33ad27 steps=4835 choices=2122/0650a3b7 t=9655717 ok',
  'device-set upstream-2025 seed=1': '0f178254b6f49903 steps=1025 choices=51/85320217 t=307200 abort',
  'device-set upstream-2025 seed=5': '63806d11eeab2c23 steps=1023 choices=43/032c20e7 t=309500 abort',
  'device-set rfc-v6 seed=1': '913ac6577529dbef steps=2276 choices=559/0f6a284b t=7962820 ok',
  'device-set rfc-v6 seed=5': '57506178831e9399 steps=2276 choices=550/1f4e8ad8 t=7954080 ok',
  'device-set realize-once seed=1': '32f191a985fb733a steps=66694 choices=154/8f3a276c t=5003158280 guest-timeout',
  'device-set realize-once seed=5': '2e99fc66efdd60f6 steps=66694 choices=141/51f93d0e t=5003158180 guest-timeout',
  'device-set pause-always seed=1': 'ece418245ad17ebb steps=3193 choices=1281/46fa2e14 t=7464640 ok',
  'device-set pause-always seed=5': 'd16f739159a4f034 steps=3243 choices=1330/f9b951e4 t=7461400 ok',
  'stop-cont upstream-2025 seed=1': '014aa93758e454a0 steps=928 choices=105/836cf863 t=324760 abort',
  'stop-cont upstream-2025 seed=5': '0e16629235cb9485 steps=926 choices=100/362f77e9 t=320870 abort',
  'stop-cont rfc-v6 seed=1': '2f46100cc89ae996 steps=1559 choices=450/b4a5b58d t=1471900 ok',
  'stop-cont rfc-v6 seed=5': 'e9b89509eb36f61c steps=1440 choices=376/dfe1f781 t=1463770 ok',
  'stop-cont realize-once seed=1': '3a3bd99b203567bc steps=1334 choices=252/33245fef t=1366940 ok',
  'stop-cont realize-once seed=5': '9ceb25fe953c3d7b steps=1216 choices=240/4174c591 t=1360210 ok',
  'stop-cont pause-always seed=1': 'd4046a7da20432e3 steps=1696 choices=548/5ce12ac5 t=1544100 ok',
  'stop-cont pause-always seed=5': '127fae35d93b56f5 steps=1595 choices=467/152ad603 t=1564910 ok',
  'foreign-holder upstream-2025 seed=1': '0d1d642b4f53c78c steps=924 choices=117/0900911b t=320660 abort',
  'foreign-holder upstream-2025 seed=5': '8ec7196de46a00e9 steps=921 choices=95/38a227fb t=316870 abort',
  'foreign-holder rfc-v6 seed=1': '7b4d9047ddd63ad1 steps=1321 choices=331/d9afbf55 t=471320 ok',
  'foreign-holder rfc-v6 seed=5': 'f3d3e6e206b2f775 steps=1314 choices=299/aff1e74f t=466850 ok',
  'foreign-holder realize-once seed=1': 'd05cab1763e41cf2 steps=1088 choices=131/668d61ff t=367440 ok',
  'foreign-holder realize-once seed=5': 'c037f5f6a191f729 steps=1086 choices=159/0b58e5f3 t=357690 ok',
  'foreign-holder pause-always seed=1': '4161b321890be206 steps=1478 choices=416/b0fa9ed9 t=584000 ok',
  'foreign-holder pause-always seed=5': 'f14517f49d5949ae steps=1465 choices=413/a9f69a6f t=564570 ok',
  'boot rfc-v6 target-vcpu': '7c43f7e77f7fa2f9 steps=1166 choices=123/1d7047c0 t=424730 ok',
  'boot upstream-2025 lockless-shadow': 'c568d77515b72825 steps=1368 choices=123/1d7047c0 t=432270 ok',
  'parallel-cpu-on rfc-v6 window=0': '50aded4f4bbcf64e steps=1186 choices=22/3c43954d t=348080 ok',
  'parallel-cpu-on rfc-v6 window=20000': 'd4a898f61c92c25e steps=1806 choices=669/517c2d23 t=896190 ok',
  'hotplug-churn pause-always resets=2': 'bdfb8a966031d921 steps=2770 choices=891/e464c94c t=6315180 ok',
  'boot rfc-v6 N=24': '4b466efe51537944 steps=25443 choices=12768/b550033d t=9142140 ok',
};

/** The format 2 hash of each pinned run (RUN_PINS before format 3), recomputed from its events. */
const FORMAT_2_PINS: Readonly<Record<string, string>> = {
  'boot upstream-2025 seed=1': '70d094c829ed5dae',
  'boot upstream-2025 seed=5': '06be4774f83b0573',
  'boot rfc-v6 seed=1': '723ccf3253c3c61f',
  'boot rfc-v6 seed=5': '2ef07340edfff1f9',
  'boot realize-once seed=1': 'b9f43ddbd9cde1d0',
  'boot realize-once seed=5': '9fed1989724a8848',
  'boot pause-always seed=1': 'bc81147d664160f4',
  'boot pause-always seed=5': 'ea74d3f0a156ef2f',
  'hotplug-churn upstream-2025 seed=1': 'c79521f5aaf0c6d0',
  'hotplug-churn upstream-2025 seed=5': 'ac2da92567b85021',
  'hotplug-churn rfc-v6 seed=1': '91381105785a9d70',
  'hotplug-churn rfc-v6 seed=5': 'bd72c9a0631eb63c',
  'hotplug-churn realize-once seed=1': '73ee6e164285fe6b',
  'hotplug-churn realize-once seed=5': '4bc52337c9049491',
  'hotplug-churn pause-always seed=1': '71a2ed3dc4841bbc',
  'hotplug-churn pause-always seed=5': '9cb2aa3839b4f9d3',
  'parallel-cpu-on upstream-2025 seed=1': 'c99f865ab2356d10',
  'parallel-cpu-on upstream-2025 seed=5': 'c4cebc7030c3d7b1',
  'parallel-cpu-on rfc-v6 seed=1': '19a46a21ea5409b5',
  'parallel-cpu-on rfc-v6 seed=5': '2f05a1af0d10442b',
  'parallel-cpu-on realize-once seed=1': 'af17cfa7e4099ccc',
  'parallel-cpu-on realize-once seed=5': 'fc227d37b7e96576',
  'parallel-cpu-on pause-always seed=1': 'c55263fcd6d6d0c1',
  'parallel-cpu-on pause-always seed=5': 'c64150d7999fc72f',
  'reboot-loop upstream-2025 seed=1': '83fa61ba9dd8589e',
  'reboot-loop upstream-2025 seed=5': 'fff65376f2fcdf8f',
  'reboot-loop rfc-v6 seed=1': '3a8d0109658ea8b7',
  'reboot-loop rfc-v6 seed=5': '1c883a77423c5699',
  'reboot-loop realize-once seed=1': 'ea01365a6702eb01',
  'reboot-loop realize-once seed=5': '75c0bc2c24988184',
  'reboot-loop pause-always seed=1': '029f9f03bcaaeb7e',
  'reboot-loop pause-always seed=5': 'fc280c7ef3e28ef5',
  'migration upstream-2025 seed=1': '413d42a8da0e871a',
  'migration upstream-2025 seed=5': '2f00d97e8416f174',
  'migration rfc-v6 seed=1': 'c9f72760300a6fd5',
  'migration rfc-v6 seed=5': '19f98cddd515e5d1',
  'migration realize-once seed=1': 'efc48281bcdd71ac',
  'migration realize-once seed=5': '2a05705c709dd79f',
  'migration pause-always seed=1': 'f62d1ea7fb30d7fe',
  'migration pause-always seed=5': '041ad83f629405ed',
  'device-set upstream-2025 seed=1': '7df83b1157433e22',
  'device-set upstream-2025 seed=5': 'b8c39a228d7fa87b',
  'device-set rfc-v6 seed=1': '26e9b074075f11e5',
  'device-set rfc-v6 seed=5': 'd91fdb19ec3266da',
  'device-set realize-once seed=1': '007cab621d26d2d3',
  'device-set realize-once seed=5': '0470b06699066b21',
  'device-set pause-always seed=1': '81907d9dad1a138a',
  'device-set pause-always seed=5': '2ead794dcf505112',
  'stop-cont upstream-2025 seed=1': '651fb72084b0a9b0',
  'stop-cont upstream-2025 seed=5': 'a6c0f9fac9ca98af',
  'stop-cont rfc-v6 seed=1': 'e0c6068ff15476ed',
  'stop-cont rfc-v6 seed=5': '76c4677d535b2646',
  'stop-cont realize-once seed=1': 'fb275281a560d285',
  'stop-cont realize-once seed=5': '347b8736e33f52ef',
  'stop-cont pause-always seed=1': '11d08bab9143d4cf',
  'stop-cont pause-always seed=5': '0f803ae21f2762ea',
  'foreign-holder upstream-2025 seed=1': 'c158a657260cfb62',
  'foreign-holder upstream-2025 seed=5': 'b1ea7c1cdcd19b81',
  'foreign-holder rfc-v6 seed=1': '8313305fde56106b',
  'foreign-holder rfc-v6 seed=5': 'ac5e3dbfb9cf3f71',
  'foreign-holder realize-once seed=1': '6492d8862e96d623',
  'foreign-holder realize-once seed=5': '028db33ad0636c88',
  'foreign-holder pause-always seed=1': '75913791a61f9aec',
  'foreign-holder pause-always seed=5': 'ebe5f8861bab85c3',
  'boot rfc-v6 target-vcpu': '04eaa7d67cca8a95',
  'boot upstream-2025 lockless-shadow': 'fc65dc6175ce5c17',
  'parallel-cpu-on rfc-v6 window=0': 'aae9a5ba37a3735f',
  'parallel-cpu-on rfc-v6 window=20000': 'b06e3e2d2e026b0e',
  'hotplug-churn pause-always resets=2': 'a9f4ba5dfaccd936',
  'boot rfc-v6 N=24': '245a69e0d0c4fb22',
};

const EXPLORATION_PINS: Readonly<Record<string, string>> = {
  'explore pct 60': 'abort:1,ok:50,stranded-pauser:9 schedules=dd0dc90f stranded-pauser@5c778b67b353f9e7/183,stranded-pauser@dd6eb6779655640c/238,stranded-pauser@687c2bc27f24ed7e/209,abort@00a680f022559da8/133',
  'explore random 40': 'ok:40 schedules=a1b71a9e ',
  'explore exhaustive unpruned 120': 'ok:120 schedules=b75695af ',
  'replay full parallel-cpu-on seed=9': 'c360d7b2549ca6d8 same=true',
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

  it('format 3 moved only the hash: the events of every pinned run hash, in format 2, to its format 2 pin', () => {
    for (const r of pinnedRuns()) {
      const v2 = new TraceHasherV2();
      // With a sink every event is built and hashed whole (`update`), not field by field.
      const run = runScenario({ ...r.spec, sink: { write: (e) => { v2.update(e); } } });
      expect(v2.digest(), r.id).toBe(FORMAT_2_PINS[r.id]);
      expect(run.traceHash, r.id).toBe(RUN_PINS[r.id]?.slice(0, 16));
    }
  });

  it('explorations find the same outcomes and failures with the same hashes', () => {
    const got = explorationPins();
    if (JSON.stringify(got) !== JSON.stringify(EXPLORATION_PINS)) console.log(`EXPLORATION_PINS now:\n${table(got)}`);
    expect(got).toEqual(EXPLORATION_PINS);
  });
});
