"""The shared-server start-up check (lib/server_profile.py, ui/profile.py): what the operator
who started the server reads when a setting differs from the profile."""
from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    "profile.refused": (
        "This server was started in the shared profile ({env}=shared), but {n} of its settings "
        "differ from it, so no page is served. Start it with `make serve HOST=<the proxy's host "
        "name>`, or set these in .streamlit/config.toml:",
        "此服务器以共享模式启动（{env}=shared），但有 {n} 项设置不符合该模式，因此不提供任何页面。"
        "请用 `make serve HOST=<代理的主机名>` 启动，或在 .streamlit/config.toml 中设置以下各项："),
    "profile.unknown": (
        "{env} is “{value}”, which is not a profile: use “shared” (or leave it unset for local "
        "use). No page is served until it is corrected.",
        "{env} 的值为“{value}”，不是有效的模式：请使用“shared”（本机单人使用则不要设置）。改正之前不提供任何页面。"),
    "profile.need.equals": ("`{option}` is {found}; it must be {needed}: {why}",
                            "`{option}` 当前为 {found}，应为 {needed}：{why}"),
    "profile.need.at_most": ("`{option}` is {found}; it must be at most {needed}: {why}",
                             "`{option}` 当前为 {found}，不应超过 {needed}：{why}"),
    "profile.need.hosts": (
        "`{option}` is {found}; it must list the host name clients use to reach the proxy, "
        "with no “*”: {why}",
        "`{option}` 当前为 {found}，应列出客户访问代理所用的主机名，且不能含“*”：{why}"),
    "profile.why.server.headless": ("no browser is opened on the server",
                                    "不在服务器上打开浏览器"),
    "profile.why.server.address": (
        "only the authenticating proxy on this machine may reach the app",
        "只有本机上负责登录验证的代理可以访问本应用"),
    "profile.why.server.enableXsrfProtection": (
        "an upload must carry its session's token", "上传必须带有所属会话的令牌"),
    "profile.why.server.enableCORS": (
        "other web sites' pages must not open the app's connection",
        "其他网站的页面不得打开本应用的连接"),
    "profile.why.server.enableStaticServing": (
        "no files are served beside the app", "除本应用外不提供任何文件"),
    "profile.why.server.enableAgentApi": ("no agent API is served", "不提供代理（agent）接口"),
    "profile.why.server.unsafeMetricsUserAttributes": (
        "the metrics endpoint needs no login, so it must not carry user details",
        "指标接口无需登录，因此不得包含用户信息"),
    "profile.why.server.trustedUserHeaders": (
        "a user's identity is never taken from headers the client can send",
        "不从客户端可伪造的请求头中读取用户身份"),
    "profile.why.server.fileWatcherType": (
        "the code is not reloaded while clients use it", "客户使用期间不重新加载代码"),
    "profile.why.server.runOnSave": (
        "the code is not reloaded while clients use it", "客户使用期间不重新加载代码"),
    "profile.why.client.showErrorDetails": (
        "no tracebacks, paths or SQL reach the browser", "浏览器中不显示错误堆栈、路径或 SQL"),
    "profile.why.client.toolbarMode": ("clients see no developer menu", "客户看不到开发者菜单"),
    "profile.why.browser.gatherUsageStats": ("nothing is sent to third parties",
                                             "不向第三方发送任何数据"),
    "profile.why.global.developmentMode": ("no development server", "不以开发模式运行"),
    "profile.why.server.maxUploadSize": (
        "uploads stay in the server's memory for the session: one client's large files must "
        "not starve the others (MB)",
        "上传的文件在会话期间保存在服务器内存中：一个客户的大文件不能拖垮其他客户（单位 MB）"),
    "profile.why.server.maxMessageSize": (
        "no page may send the browser a huge message (MB)", "页面不得向浏览器发送过大的消息（单位 MB）"),
    "profile.why.server.disconnectedSessionTTL": (
        "a closed session frees its memory soon, and its id stops working (seconds)",
        "已关闭的会话尽快释放内存，其会话标识也随之失效（单位：秒）"),
    "profile.why.server.allowedHosts": (
        "the app answers only under the proxy's name (a page of another site whose name is made "
        "to point at this server is refused)",
        "本应用只响应代理的主机名（其他网站把域名指向本服务器的页面会被拒绝）"),
}
