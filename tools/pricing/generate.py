"""Fills and checks the bundled catalog from the two reference datasets, at development time only.

    python3 tools/pricing/generate.py LITELLM.json GENAI-PRICES.json CHECKED-DATE

Adds an entry for every model both datasets price on a provider Tollgate has built-in endpoints for,
when the catalog does not already charge that price for the name; corrects cache prices both
datasets agree on; records source and checked date on every entry; writes a note where the datasets
disagree with each other or with a kept price. Review the diff of catalog.json before committing."""
import json, re, sys, collections
from decimal import Decimal
import refs

CATALOG = 'agent/src/main/resources/dev/tollgate/agent/pricing/catalog.json'
BUILTIN = ['openai', 'anthropic', 'gemini', 'mistral', 'xai', 'deepseek', 'cohere', 'groq', 'together', 'fireworks', 'openrouter']
VENDOR = {'openai': 'openai', 'anthropic': 'anthropic', 'gemini': 'google', 'mistral': 'mistral', 'xai': 'xai',
          'deepseek': 'deepseek', 'cohere': 'cohere'}
FIELDS = ['input', 'cached_input', 'cache_write', 'cache_write_1h', 'output']
SNAPSHOT = re.compile(r"(-(\d{4}-\d{2}-\d{2}|20\d{6}|00\d)|@20\d{6}|@default)$")  # as PriceTable.SNAPSHOT
D = lambda v: None if v is None else Decimal(str(v))

def resolve(table, name):
    for _ in range(4):
        n = name
        while True:
            if n in table['models']: return table['models'][n]
            if n in table.get('aliases', {}): return table['models'][table['aliases'][n]]
            if '.' not in n: break
            n = n.replace('.', '-')
        i = name.rfind('/')
        nxt = name[i + 1:] if i >= 0 else SNAPSHOT.sub('', name, count=1)
        if nxt == name: return None
        name = nxt
    return None

def effective(cat, provider, name):
    t = cat['providers'].get(provider)
    p = resolve(t, name) if t else None
    return p if p is not None else resolve(cat, name)

def value(e, f):
    v = e.get(f)
    if v is None and f in ('cached_input', 'cache_write'): return D(e['input'])
    if v is None and f == 'cache_write_1h': return value(e, 'cache_write')
    return D(v)

def entry_from(g, l, vendor, checked):
    e = {}
    if vendor: e['provider'] = vendor
    for f in FIELDS:
        if g.get(f) is not None: e[f] = D(g[f])
    if 'long_context' in g: e['long_context'] = g['long_context']
    e['max_output_tokens'] = l.get('max_output_tokens') or 4096
    e['source'] = 'genai-prices (snapshot 2026-08-21%s) and LiteLLM (snapshot 2026-07-24)' % (
        ', prices checked ' + g['checked'] if g.get('checked') else '')
    e['checked'] = checked
    diffs = ['%s %s' % (f, value(l, f)) for f in FIELDS if value(l, f) != value(g, f)]
    if ('long_context' in l) != ('long_context' in g):
        diffs.append('a long-context tier above %s tokens' % l['long_context']['threshold_tokens'] if 'long_context' in l
                     else 'no long-context tier')
    if diffs:
        e['notes'] = 'LiteLLM disagrees (%s); genai-prices, the newer snapshot, is used.' % ', '.join(diffs)
    return e

CORRECTED = ("cached_input (and its long-context rate) corrected to the price both datasets give; the catalog had %s. "
             "Input and output unchanged.")

def main(litellm_path, genai_path, checked):
    cat = json.load(open(CATALOG), parse_float=Decimal, object_pairs_hook=collections.OrderedDict)
    cat.setdefault('providers', collections.OrderedDict())
    by = collections.defaultdict(dict)
    for e in refs.litellm(litellm_path) + refs.genai(genai_path):
        if e['provider'] in BUILTIN:
            by[(e['provider'], e['model'])].setdefault(e['src'], e)
    added = fixed = 0
    for (provider, name), srcs in sorted(by.items()):
        if len(srcs) < 2: continue
        g, l = srcs['genai'], srcs['litellm']
        if name in cat['aliases'] and provider in VENDOR:
            target = cat['models'][cat['aliases'][name]]
            if D(target['input']) == D(g['input']) and D(target['output']) == D(g['output']):
                fixed += fix_cache(target, g, l)
            continue  # a curated alias (mistral-large-latest is Large 3): kept, reported by prices --diff
        ours = effective(cat, provider, name)
        if ours is not None and D(ours['input']) == D(g['input']) and D(ours['output']) == D(g['output']):
            fixed += fix_cache(ours, g, l) if provider in VENDOR and ours.get('provider') == VENDOR[provider] else 0
            continue
        if ours is not None and provider in VENDOR and name in cat['models']:
            continue  # a curated model-only entry whose price differs: kept, reported by prices --diff
        vendor = VENDOR.get(provider)
        e = entry_from(g, l, vendor, checked)
        if vendor:
            cat['models'][name] = e
        else:
            cat['providers'].setdefault(provider, collections.OrderedDict()).setdefault('models', collections.OrderedDict())[name] = e
        added += 1
    cat['sources'].update({'cohere': 'https://cohere.com/pricing', 'groq': 'https://groq.com/pricing',
                           'together': 'https://www.together.ai/pricing', 'fireworks': 'https://fireworks.ai/pricing',
                           'openrouter': 'https://openrouter.ai/models'})
    for name, e in cat['models'].items():  # Anthropic's 1-hour cache write: 2x the input price
        if e.get('provider') == 'anthropic' and 'cache_write_1h' not in e:
            e['cache_write_1h'] = D(e['input']) * 2
    lite = cat['models'].get('gemini-2.0-flash-lite')
    if lite is not None and 'notes' not in lite:
        lite['notes'] = ('LiteLLM gives a cached_input of 0.01875 (a quarter of input), genai-prices none; not confirmed on '
                         "Google's page, so cache hits are charged at the input price.")
    for name, e in cat['models'].items():  # provenance of the curated entries
        if 'source' not in e and e.get('provider') in cat['sources']:
            e['source'] = cat['sources'][e['provider']]
            e['checked'] = cat['as_of']
    write(cat)
    print('added %d entries, corrected %d cache prices' % (added, fixed), file=sys.stderr)

def fix_cache(ours, g, l):
    """A cache price both datasets agree on, that the catalog has otherwise: corrected."""
    n = 0
    for f in ('cached_input',):
        if g.get(f) is not None and value(l, f) == value(g, f) and value(ours, f) != value(g, f):
            old = ours.get(f)
            ours[f] = D(g[f])
            ours['source'] = 'genai-prices (snapshot 2026-08-21) and LiteLLM (snapshot 2026-07-24), which agree'
            ours['checked'] = sys.argv[3]
            ours['notes'] = CORRECTED % ('none: cache hits were charged at the input price' if old is None else old)
            n += 1
        lc, glc, llc = ours.get('long_context'), g.get('long_context', {}), l.get('long_context', {})
        if lc and glc.get(f) is not None and D(glc.get(f)) == D(llc.get(f)) and D(lc.get(f)) != D(glc[f]):
            lc[f] = D(glc[f])
            n += 1
    return n

def dump(v):
    return json.dumps(v, default=lambda d: _num(d), ensure_ascii=False).replace('"__NUM__', '').replace('__NUM__"', '')

def _num(d):
    s = format(d.normalize(), 'f')
    return '__NUM__' + s + '__NUM__'

def write(cat):
    out = ['{']
    for k, v in cat.items():
        if k in ('models', 'aliases'):
            out.append('  "%s": {' % k)
            out.append(',\n'.join('    %s: %s' % (json.dumps(n), dump(e)) for n, e in v.items()))
            out.append('  },')
        elif k == 'providers':
            out.append('  "providers": {')
            provs = []
            for p, t in v.items():
                parts = []
                for tk, tv in t.items():
                    if tk == 'default':
                        parts.append('      "default": %s' % dump(tv))
                    else:
                        parts.append('      "%s": {\n%s\n      }' % (tk, ',\n'.join('        %s: %s' % (json.dumps(n), dump(e)) for n, e in tv.items())))
                provs.append('    %s: {\n%s\n    }' % (json.dumps(p), ',\n'.join(parts)))
            out.append(',\n'.join(provs))
            out.append('  },')
        else:
            out.append('  %s: %s,' % (json.dumps(k), dump(v)))
    out[-1] = out[-1].rstrip(',')
    out.append('}')
    open(CATALOG, 'w').write('\n'.join(out) + '\n')

if __name__ == '__main__':
    main(*sys.argv[1:4])
