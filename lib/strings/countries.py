"""Names of the countries and regions whose public holidays the forecast knows in Chinese (see
lib/holiday_names_zh.yaml), shown beside their ISO code ("英国（GB）")."""

STRINGS: dict[str, tuple[str, str]] = {
    "country.named": ("{name} ({code})", "{name}（{code}）"),
    "country.US": ("United States", "美国"),
    "country.GB": ("United Kingdom", "英国"),
    "country.CA": ("Canada", "加拿大"),
    "country.AU": ("Australia", "澳大利亚"),
    "country.NZ": ("New Zealand", "新西兰"),
    "country.IE": ("Ireland", "爱尔兰"),
    "country.DE": ("Germany", "德国"),
    "country.FR": ("France", "法国"),
    "country.ES": ("Spain", "西班牙"),
    "country.IT": ("Italy", "意大利"),
    "country.NL": ("Netherlands", "荷兰"),
    "country.JP": ("Japan", "日本"),
    "country.KR": ("South Korea", "韩国"),
    "country.SG": ("Singapore", "新加坡"),
    "country.MY": ("Malaysia", "马来西亚"),
    "country.CL": ("Chile", "智利"),
    "country.CN": ("Mainland China", "中国大陆"),
    "country.HK": ("Hong Kong", "中国香港"),
    "country.MO": ("Macao", "中国澳门"),
    "country.TW": ("Taiwan", "中国台湾"),
}
