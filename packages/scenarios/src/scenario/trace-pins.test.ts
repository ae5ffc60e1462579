// Pins the trace hashes of a fixed set of runs (issue 17): optimisations of the kernel, the trace hasher,
// the run queue and the explorers must leave every event, choice and hash exactly as it was. A deliberate
// model change regenerates the tables below from the printed output of a failing run of this test.
import { describe, expect, it } from 'vitest';
import { explorationPins, pinRow, pinnedRuns } from './trace-pins.js';

const RUN_PINS: Readonly<Record<string, string>> = {
  'boot upstream-2025 seed=1': 'd0003f710df51d4b steps=1454 choices=68/1f7db1b0 t=435260 abort',
  'boot upstream-2025 seed=5': '44b80de69272e3d8 steps=1456 choices=72/da99705f t=435880 abort',
  'boot rfc-v6 seed=1': '676698b93837d7c8 steps=2379 choices=686/da88a67c t=807020 ok',
  'boot rfc-v6 seed=5': '2fd8414fa180dcac steps=2401 choices=690/90841d97 t=826260 ok',
  'boot realize-once seed=1': '528aabb50162d358 steps=1744 choices=139/05fbda6c t=515080 ok',
  'boot realize-once seed=5': 'ee5df7b2c63ccd55 steps=1746 choices=149/d782bbb9 t=517340 ok',
  'boot pause-always seed=1': '62a792779ff657ae steps=2752 choices=889/dd23cf96 t=1043200 ok',
  'boot pause-always seed=5': '50c75f6ab3e73717 steps=2680 choices=813/e2163551 t=991740 ok',
  'hotplug-churn upstream-2025 seed=1': '6fc0b86a3d139430 steps=894 choices=62/59402500 t=296580 abort',
  'hotplug-churn upstream-2025 seed=5': 'a339c0019e55d2bf steps=887 choices=57/9c693d9e t=292720 abort',
  'hotplug-churn rfc-v6 seed=1': 'bf0c0c83aa0ac449 steps=2752 choices=492/8cd8f70b t=11920020 ok',
  'hotplug-churn rfc-v6 seed=5': '197cef085f253ff7 steps=2719 choices=486/380d0034 t=10861000 ok',
  'hotplug-churn realize-once seed=1': 'd81fc89025848801 steps=2520 choices=298/9af5ad98 t=11818460 ok',
  'hotplug-churn realize-once seed=5': '1acf6b134611110d steps=2520 choices=350/89710061 t=10780200 ok',
  'hotplug-churn pause-always seed=1': 'cd865c02574cf247 steps=4064 choices=1318/0d7a6e49 t=12613840 ok',
  'hotplug-churn pause-always seed=5': '791fef7b177444c6 steps=4081 choices=1423/0e915fe7 t=11590480 ok',
  'parallel-cpu-on upstream-2025 seed=1': '6e233e65f6b6b3d8 steps=896 choices=65/1aca4071 t=296620 abort',
  'parallel-cpu-on upstream-2025 seed=5': '37b050f3b9ff1a21 steps=901 choices=72/92884351 t=294900 abort',
  'parallel-cpu-on rfc-v6 seed=1': '64cec2e8da228406 steps=1196 choices=235/71e8c820 t=391120 ok',
  'parallel-cpu-on rfc-v6 seed=5': 'f7b63e9bcbb458a3 steps=1251 choices=276/6e3f2115 t=423380 ok',
  'parallel-cpu-on realize-once seed=1': '483dcc3b1015bb92 steps=1056 choices=209/da04b365 t=332760 ok',
  'parallel-cpu-on realize-once seed=5': 'ca930b2b52beac36 steps=1060 choices=178/c85ed47f t=336660 ok',
  'parallel-cpu-on pause-always seed=1': 'd506b06ee83e62e3 steps=1000 choices=120/4f358758 t=364980 stranded-pauser',
  'parallel-cpu-on pause-always seed=5': '4053e970028afed6 steps=1421 choices=388/8c51c179 t=522520 ok',
  'reboot-loop upstream-2025 seed=1': '7739c4a5a0dabe79 steps=652 choices=20/3e61d286 t=230010 abort',
  'reboot-loop upstream-2025 seed=5': '217a8fe6685fdeee steps=651 choices=24/8167df0a t=229090 abort',
  'reboot-loop rfc-v6 seed=1': '8f91b4543d2f1daa steps=2075 choices=322/76951a69 t=642690 ok',
  'reboot-loop rfc-v6 seed=5': '0541fd72f6679a37 steps=2085 choices=318/357567aa t=664090 ok',
  'reboot-loop realize-once seed=1': '9e2c4c49b3b7cd49 steps=1958 choices=223/98961cb9 t=600470 ok',
  'reboot-loop realize-once seed=5': '79501f52badf24c0 steps=1970 choices=218/67470f36 t=626450 ok',
  'reboot-loop pause-always seed=1': '419b548467b3370f steps=1645 choices=356/d180f3cf t=5000609670 stranded-pauser',
  'reboot-loop pause-always seed=5': '710f32ae2f7169f2 steps=2799 choices=737/a1a1a38d t=1076590 ok',
  'migration upstream-2025 seed=1': 'be5f44045cb1e85c steps=1227 choices=1035/f427d20e t=269670 abort',
  'migration upstream-2025 seed=5': '66e3baace8c06e2a steps=1227 choices=1062/1b6d8dfd t=268110 abort',
  'migration rfc-v6 seed=1': '4ddac4002606ae66 steps=3980 choices=1600/fb62e120 t=10274851 ok',
  'migration rfc-v6 seed=5': '1b3c474afd5b95e7 steps=3974 choices=1508/4cc19cfd t=9166410 ok',
  'migration realize-once seed=1': '2ea84993c8af6f1a steps=3769 choices=1405/4b7a391c t=10119081 ok',
  'migration realize-once seed=5': '7972572b7d39dc69 steps=3764 choices=1422/ca56fec8 t=9132949 ok',
  'migration pause-always seed=1': '2f8162805063253b steps=4734 choices=2021/fb829506 t=5010665311 stranded-pauser',
  'migration pause-always seed=5': 'a703e1102ecc0896 steps=4835 choices=2122/0650a3b7 t=9655717 ok',
  'device-set upstream-2025 seed=1': '9f5a8dd3154291ea steps=1025 choices=51/85320217 t=307200 abort',
  'device-set upstream-2025 seed=5': 'cfa8edd449db428d steps=1023 choices=43/032c20e7 t=309500 abort',
  'device-set rfc-v6 seed=1': '467f44685b983959 steps=2276 choices=559/0f6a284b t=7962820 ok',
  'device-set rfc-v6 seed=5': '5c878e2d0018735f steps=2276 choices=550/1f4e8ad8 t=7954080 ok',
  'device-set realize-once seed=1': '255a65e635996608 steps=66694 choices=154/8f3a276c t=5003158280 guest-timeout',
  'device-set realize-once seed=5': 'f6400f9872af262d steps=66694 choices=141/51f93d0e t=5003158180 guest-timeout',
  'device-set pause-always seed=1': '72643375e280dc4a steps=3193 choices=1281/46fa2e14 t=7464640 ok',
  'device-set pause-always seed=5': '16a246244e992935 steps=3243 choices=1330/f9b951e4 t=7461400 ok',
  'stop-cont upstream-2025 seed=1': '168956621540b0c9 steps=928 choices=105/836cf863 t=324760 abort',
  'stop-cont upstream-2025 seed=5': 'eff320169f7fc5ab steps=926 choices=100/362f77e9 t=320870 abort',
  'stop-cont rfc-v6 seed=1': 'e3a3f91be69db076 steps=1559 choices=450/b4a5b58d t=1471900 ok',
  'stop-cont rfc-v6 seed=5': '694b93af8232b5db steps=1440 choices=376/dfe1f781 t=1463770 ok',
  'stop-cont realize-once seed=1': 'b0f0241caa94b1e4 steps=1334 choices=252/33245fef t=1366940 ok',
  'stop-cont realize-once seed=5': '80b05815c8b33bd8 steps=1216 choices=240/4174c591 t=1360210 ok',
  'stop-cont pause-always seed=1': '55ec65f5c6363d6a steps=1696 choices=548/5ce12ac5 t=1544100 ok',
  'stop-cont pause-always seed=5': '6d753d01970ebad7 steps=1595 choices=467/152ad603 t=1564910 ok',
  'foreign-holder upstream-2025 seed=1': 'ca661ee06c932322 steps=924 choices=117/0900911b t=320660 abort',
  'foreign-holder upstream-2025 seed=5': '2275d89d6b8846e5 steps=921 choices=95/38a227fb t=316870 abort',
  'foreign-holder rfc-v6 seed=1': 'c2bb8854c6ad547a steps=1321 choices=331/d9afbf55 t=471320 ok',
  'foreign-holder rfc-v6 seed=5': '14cac3045da9305b steps=1314 choices=299/aff1e74f t=466850 ok',
  'foreign-holder realize-once seed=1': '99cb27d5c40d0c86 steps=1088 choices=131/668d61ff t=367440 ok',
  'foreign-holder realize-once seed=5': '3f1cd982dfcea404 steps=1086 choices=159/0b58e5f3 t=357690 ok',
  'foreign-holder pause-always seed=1': 'd84789de60634298 steps=1478 choices=416/b0fa9ed9 t=584000 ok',
  'foreign-holder pause-always seed=5': 'ec75cacf990a1286 steps=1465 choices=413/a9f69a6f t=564570 ok',
  'boot rfc-v6 target-vcpu': 'ec5e3661bab2f87c steps=1166 choices=123/1d7047c0 t=424730 ok',
  'boot upstream-2025 lockless-shadow': '8c6e66723b547a72 steps=1368 choices=123/1d7047c0 t=432270 ok',
  'parallel-cpu-on rfc-v6 window=0': '05e32cbba2634c78 steps=1186 choices=22/3c43954d t=348080 ok',
  'parallel-cpu-on rfc-v6 window=20000': 'b92510ac3641e9db steps=1806 choices=669/517c2d23 t=896190 ok',
  'hotplug-churn pause-always resets=2': '031c8b748af03663 steps=2770 choices=891/e464c94c t=6315180 ok',
  'boot rfc-v6 N=24': 'c4e768546f4fa80d steps=25443 choices=12768/b550033d t=9142140 ok',
};

const EXPLORATION_PINS: Readonly<Record<string, string>> = {
  'explore pct 60': 'abort:1,ok:50,stranded-pauser:9 schedules=dd0dc90f stranded-pauser@2d750aba4d776753/183,stranded-pauser@7b51ec2a7e03e3bc/238,stranded-pauser@40c910f72d99a326/209,abort@342f1763e05ea3c1/133',
  'explore random 40': 'ok:40 schedules=a1b71a9e ',
  'explore exhaustive unpruned 120': 'ok:120 schedules=b75695af ',
  'replay full parallel-cpu-on seed=9': 'b8b69fc787b745a1 same=true',
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
