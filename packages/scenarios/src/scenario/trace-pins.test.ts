// Pins the trace hashes of a fixed set of runs (issue 17): optimisations of the kernel, the trace hasher,
// the run queue and the explorers must leave every event, choice and hash exactly as it was. A deliberate
// model change regenerates the tables below from the printed output of a failing run of this test.
import { describe, expect, it } from 'vitest';
import { explorationPins, pinRow, pinnedRuns } from './trace-pins.js';

const RUN_PINS: Readonly<Record<string, string>> = {
  'boot upstream-2025 seed=1': '39473c4479f796f6 steps=1385 choices=68/1f7db1b0 t=427970 abort',
  'boot upstream-2025 seed=5': '3f1e4b54a08863fa steps=1387 choices=72/da99705f t=428590 abort',
  'boot rfc-v6 seed=1': 'd9846bbc0f31d264 steps=2361 choices=696/b2e93a2a t=797890 ok',
  'boot rfc-v6 seed=5': 'f38d7ba298e3e882 steps=2382 choices=685/fb69fc4a t=823670 ok',
  'boot realize-once seed=1': '354ecd9268df26c3 steps=1728 choices=138/6321deec t=512390 ok',
  'boot realize-once seed=5': '98120290e7ecdf3f steps=1730 choices=149/d782bbb9 t=514650 ok',
  'boot pause-always seed=1': 'c1f90262f36bcfa9 steps=2376 choices=752/d8503dee t=811630 ok',
  'boot pause-always seed=5': 'dbe0071160d2a05e steps=2387 choices=715/b0368c17 t=864790 ok',
  'hotplug-churn upstream-2025 seed=1': 'b9eab7b3791a56c0 steps=853 choices=62/59402500 t=290890 abort',
  'hotplug-churn upstream-2025 seed=5': '4222b0390beeb647 steps=846 choices=57/9c693d9e t=287030 abort',
  'hotplug-churn rfc-v6 seed=1': '5df996604d83353b steps=2738 choices=492/8cd8f70b t=11917370 ok',
  'hotplug-churn rfc-v6 seed=5': 'acd8fbbe89a40ff5 steps=2705 choices=486/380d0034 t=10858350 ok',
  'hotplug-churn realize-once seed=1': 'ef63a395a0f11ee4 steps=2506 choices=298/9af5ad98 t=11815810 ok',
  'hotplug-churn realize-once seed=5': 'e41358246e2ce4df steps=2506 choices=349/f8076319 t=10777550 ok',
  'hotplug-churn pause-always seed=1': '618119dd3e078cd9 steps=3582 choices=1154/d840d7e5 t=12306050 ok',
  'hotplug-churn pause-always seed=5': 'b4d5a18b60283663 steps=3617 choices=1160/77b35ab6 t=11325250 ok',
  'parallel-cpu-on upstream-2025 seed=1': '5f7895280ea8c385 steps=855 choices=65/1aca4071 t=290930 abort',
  'parallel-cpu-on upstream-2025 seed=5': '54e419d587c64a51 steps=860 choices=72/92884351 t=289210 abort',
  'parallel-cpu-on rfc-v6 seed=1': '831887e2b4f2f028 steps=1182 choices=235/71e8c820 t=388470 ok',
  'parallel-cpu-on rfc-v6 seed=5': '8a4277a616b789b5 steps=1237 choices=276/6e3f2115 t=420730 ok',
  'parallel-cpu-on realize-once seed=1': 'eeba8abaaea8885d steps=1042 choices=209/da04b365 t=330110 ok',
  'parallel-cpu-on realize-once seed=5': 'b64a723191bc8607 steps=1046 choices=178/c85ed47f t=334010 ok',
  'parallel-cpu-on pause-always seed=1': '1536f4953d649fdd steps=1286 choices=303/76d46486 t=457230 ok',
  'parallel-cpu-on pause-always seed=5': 'a8e62a195d9ff816 steps=1295 choices=290/88f97e3c t=473410 ok',
  'reboot-loop upstream-2025 seed=1': 'c64cd468ade4f220 steps=622 choices=20/3e61d286 t=225060 abort',
  'reboot-loop upstream-2025 seed=5': '5853167fb547f1df steps=621 choices=24/8167df0a t=224140 abort',
  'reboot-loop rfc-v6 seed=1': 'cef85aebcad9d8d9 steps=2048 choices=322/76951a69 t=637780 ok',
  'reboot-loop rfc-v6 seed=5': '83215bee800dc020 steps=2058 choices=318/357567aa t=659180 ok',
  'reboot-loop realize-once seed=1': '8b65b9c24637cb75 steps=1931 choices=223/98961cb9 t=595560 ok',
  'reboot-loop realize-once seed=5': '790ec2bb3a2aa09e steps=1943 choices=218/67470f36 t=621540 ok',
  'reboot-loop pause-always seed=1': '7430122b16adda5b steps=2425 choices=648/e702cba4 t=837780 ok',
  'reboot-loop pause-always seed=5': '9fe59dd2e6c39942 steps=2489 choices=695/463d5fd4 t=856720 ok',
  'migration upstream-2025 seed=1': 'b99a1845c492d7a5 steps=1167 choices=1010/2776511f t=263920 abort',
  'migration upstream-2025 seed=5': '5e99664cda59edb9 steps=1164 choices=981/0062ebcb t=266380 abort',
  'migration rfc-v6 seed=1': 'b7682eca73941280 steps=3724 choices=1513/58b770af t=9550780 ok',
  'migration rfc-v6 seed=5': 'b8f47ea4d2fd2c18 steps=3713 choices=1434/d11b0832 t=9456500 ok',
  'migration realize-once seed=1': '4e0dfa1de795d4fa steps=3486 choices=1361/4c934d0e t=8382940 ok',
  'migration realize-once seed=5': '63717ff3097f5a76 steps=3498 choices=1315/bf25a720 t=9419220 ok',
  'migration pause-always seed=1': '78d3b10965a164ca steps=4253 choices=1981/a55c8033 t=9808400 ok',
  'migration pause-always seed=5': '4e46bfaaf7b703c2 steps=4176 choices=1915/026ab723 t=9669800 ok',
  'device-set upstream-2025 seed=1': 'cce1d843a8ae154f steps=973 choices=54/9ab1b44c t=301440 abort',
  'device-set upstream-2025 seed=5': '9e49c2601b6211c8 steps=973 choices=49/d00dc63e t=305120 abort',
  'device-set rfc-v6 seed=1': '90354757ff497575 steps=2304 choices=636/b8b80dbb t=7973560 ok',
  'device-set rfc-v6 seed=5': '601b3700bf7ccdce steps=2284 choices=562/4d034e0b t=7965580 ok',
  'device-set realize-once seed=1': '2954fff3432afe7e steps=1831 choices=159/b59e5543 t=7525510 ok',
  'device-set realize-once seed=5': 'aaa71c05197d6fac steps=1831 choices=157/8aa0f562 t=7525670 ok',
  'device-set pause-always seed=1': '0c4d60da90c91c1d steps=2786 choices=1042/2db5e1cf t=8174520 ok',
  'device-set pause-always seed=5': '29ee625a92dedc6d steps=2769 choices=1013/ffb288d8 t=8164540 ok',
  'stop-cont upstream-2025 seed=1': '4b76357be7b19926 steps=887 choices=108/6531bce9 t=315500 abort',
  'stop-cont upstream-2025 seed=5': '2f75a45681fea1a1 steps=878 choices=116/efa5fb27 t=309930 abort',
  'stop-cont rfc-v6 seed=1': '6ddb0f0de240064f steps=1536 choices=413/4ebffed9 t=1479200 ok',
  'stop-cont rfc-v6 seed=5': '26a50f36ac3cf15a steps=1413 choices=377/0f98fff5 t=1447710 ok',
  'stop-cont realize-once seed=1': 'ed35e415d16d41d1 steps=1310 choices=303/150be903 t=1362700 ok',
  'stop-cont realize-once seed=5': 'edaaadebd6809a86 steps=1201 choices=225/21bbd67d t=1355750 ok',
  'stop-cont pause-always seed=1': '4604ea5dc7753da6 steps=1534 choices=510/04b2af48 t=1463860 ok',
  'stop-cont pause-always seed=5': '4f3ebd062f17d727 steps=1405 choices=386/7bb7fd3c t=1537010 ok',
  'foreign-holder upstream-2025 seed=1': 'dd24239ff378aa51 steps=884 choices=108/2120bec6 t=314740 abort',
  'foreign-holder upstream-2025 seed=5': '06cb72e2773375e8 steps=878 choices=116/efa5fb27 t=309930 abort',
  'foreign-holder rfc-v6 seed=1': 'bc898653372d360e steps=1312 choices=346/a8d45bd3 t=476620 ok',
  'foreign-holder rfc-v6 seed=5': 'caae6053c59d8d1e steps=1303 choices=339/d1d4741a t=461110 ok',
  'foreign-holder realize-once seed=1': 'de5135d87a6ce70b steps=1076 choices=164/ebab33d2 t=362660 ok',
  'foreign-holder realize-once seed=5': '81b2e11d292eee45 steps=1073 choices=145/22cebd41 t=355430 ok',
  'foreign-holder pause-always seed=1': '7bead6ae39f1e84b steps=1313 choices=373/cf237ef9 t=466300 ok',
  'foreign-holder pause-always seed=5': '30ec53cda4188900 steps=1327 choices=355/67407e24 t=502830 ok',
  'boot rfc-v6 target-vcpu': 'ea4e73a3f9069b02 steps=1151 choices=123/1d7047c0 t=422060 ok',
  'boot upstream-2025 lockless-shadow': '46350055b4ca3340 steps=1344 choices=123/1d7047c0 t=425560 ok',
  'parallel-cpu-on rfc-v6 window=0': '66c24064a3160ec9 steps=1172 choices=22/3c43954d t=345430 ok',
  'parallel-cpu-on rfc-v6 window=20000': 'eac15ffc8050d414 steps=1793 choices=667/dabdf3ca t=893520 ok',
  'hotplug-churn pause-always resets=2': '2f55b42aae3288d0 steps=2756 choices=891/e464c94c t=6312530 ok',
  'boot rfc-v6 N=24': 'ecb66f651a493b68 steps=25399 choices=12757/49cf0ed7 t=9135050 ok',
};

const EXPLORATION_PINS: Readonly<Record<string, string>> = {
  'explore pct 60': 'abort:1,ok:50,stranded-pauser:9 schedules=a776c025 stranded-pauser@d9c411375f973655/183,stranded-pauser@a09f2e772afecf50/238,stranded-pauser@81cc8d6877c3d51b/210,abort@6c9d0db65a56bb6d/133',
  'explore random 40': 'ok:40 schedules=08c25978 ',
  'explore exhaustive unpruned 120': 'ok:120 schedules=b75695af ',
  'replay full parallel-cpu-on seed=9': 'bf2782f704f01fec same=true',
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
