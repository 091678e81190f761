# Hướng dẫn: tài khoản VNeID (mức 1, mức 2) và đăng nhập Cổng Dịch vụ công Quốc gia.
# Văn bản thuần (bot tự thoát ký tự): không dùng HTML hay Markdown. Mỗi màn hình ngắn, một ý.
# Tên mục trong ứng dụng giữ đúng tiếng Việt, trong dấu ngoặc kép.
# Cùng các id này phải có trong locales/en/guide.ftl và locales/hmn/guide.ftl.

## Bắt đầu

safety =
    ⚠️ Trước khi bắt đầu, xin nhớ:
    Bot này không bao giờ hỏi số căn cước, số điện thoại, mã OTP, mật khẩu hay passcode của bạn. Đừng gửi chúng vào đây.
    Công an và cán bộ xã không bao giờ hỏi các mã này.
    Chỉ cài VNeID từ CH Play hoặc App Store.
    Ai gọi điện xưng là công an, bảo cài hoặc "cập nhật" VNeID: đó là lừa đảo.
commune-ask =
    Bạn sống ở xã nào? Chọn xã của bạn.
    (Chỉ để xã biết đã giúp được bao nhiêu người.)

## Tình hình của bạn

age-ask =
    Tài khoản này làm cho ai?
    Từ 1/7/2024 mọi lứa tuổi đều có thể có tài khoản VNeID. Trẻ dưới 14 tuổi do cha mẹ đăng ký.
card-ask =
    Bạn có thẻ Căn cước công dân gắn chip, hoặc thẻ Căn cước mới (cấp từ 1/7/2024) không?
card-check =
    Xem thẻ của bạn:
    Thẻ gắn chip có một con chip nhỏ màu vàng và số định danh 12 chữ số.
    Chưa đủ: chứng minh nhân dân cũ (CMND, 9 hoặc 12 số) và thẻ căn cước công dân mã vạch, không có chip.
    Thẻ của bạn có chip không?
card-valid-ask =
    Thẻ của bạn còn hạn không? Xem ngày ghi trên thẻ ("Có giá trị đến").
    Thẻ phải đổi khi đủ 25, 40 và 60 tuổi.
card-renew =
    Bạn cần đổi thẻ trước.
    Mang thẻ cũ đến Công an xã để làm thẻ Căn cước mới. Có thể xin làm luôn VNeID mức 2.
    Có thẻ mới rồi, bạn quay lại đây và bắt đầu lại.
need-card =
    Bạn cần có thẻ căn cước công dân gắn chip hoặc thẻ Căn cước trước.
    Hãy đến Công an xã để làm thủ tục (hỏi cần mang gì).
    Khi làm thẻ, có thể xin làm luôn tài khoản VNeID mức 2.
    Có thẻ rồi, bạn quay lại đây và bắt đầu lại.
phone-own-ask =
    Số điện thoại (SIM) của bạn có đứng tên chính bạn không (thuê bao chính chủ)?
    Tài khoản cần số đứng tên chính bạn: số đứng tên người thân sẽ bị từ chối.
sim-check =
    Cách kiểm tra (miễn phí): soạn tin TTTB gửi 1414.
    Tin trả lời cho biết SIM đứng tên ai.
    Đó có phải tên bạn không?
shared-phone =
    Mỗi số điện thoại chỉ đăng ký được một tài khoản VNeID.
    Nếu chưa ai trong nhà dùng số này làm tài khoản và số đứng tên bạn: bạn dùng được.
    Những người khác mỗi người cần một SIM đứng tên mình.
    Trẻ dưới 14 tuổi không cần SIM riêng: cha mẹ đăng ký cho trẻ.
smartphone-ask =
    Bạn có điện thoại thông minh (Android hoặc iPhone) dùng được mạng internet không?
no-smartphone =
    Không có điện thoại thông minh? Bạn vẫn có thể có tài khoản:
    1. Làm mức 2 tại Công an xã, mang thẻ và một điện thoại thường có SIM đứng tên bạn.
    2. Mã được gửi bằng tin nhắn đến điện thoại đó: bạn kích hoạt tài khoản trên máy tính, ví dụ ở bộ phận một cửa của xã.
    3. Cán bộ một cửa giúp bạn đăng nhập Cổng trên máy tính của xã; bạn tự gõ mã của mình.
vneid-ask =
    Bạn đã có tài khoản VNeID chưa?
    Đã đăng ký (trong ứng dụng hoặc ở công an) nhưng chưa kích hoạt: chọn "Đã đăng ký, chưa kích hoạt".
vneid-how-tell =
    Mở ứng dụng VNeID trên điện thoại.
    Đăng nhập được: bạn đã có tài khoản; trong ứng dụng thường xem được tài khoản mức 1 hay mức 2.
    Công an đã lấy vân tay cho VNeID nhưng bạn chưa kích hoạt: chọn "Đã đăng ký, chưa kích hoạt".
    Chưa đăng ký gì: chọn "Chưa có".
nfc-ask =
    Điện thoại của bạn có NFC không?
    NFC giúp điện thoại đọc chip trên thẻ căn cước khi áp thẻ vào máy.
nfc-how =
    Android: mở "Cài đặt" (Settings), tìm chữ "NFC". Thấy thì máy có NFC: hãy bật lên.
    iPhone: iPhone 7 và các đời mới hơn có NFC.
    Không tìm thấy NFC: chọn "Không có NFC".
nfc-none =
    Máy không có NFC vẫn có thể thử:
    đến bước quét thẻ, ứng dụng sẽ cho quét mã QR in trên thẻ thay cho chip.
    Nếu không được, Công an xã có thể đăng ký giúp bạn.

## Tài khoản cho trẻ em

child-self =
    Trẻ dưới 14 tuổi do cha, mẹ hoặc người giám hộ đăng ký, qua tài khoản VNeID mức 2 của chính cha mẹ.
    Hãy cho cha mẹ xem tin này, hoặc nhờ cha mẹ cùng đến bộ phận một cửa của xã.
child-age-ask = Trẻ bao nhiêu tuổi?
child-card-ask =
    Trẻ từ 6 đến 13 tuổi cần có thẻ Căn cước trước.
    Trẻ đã có thẻ Căn cước chưa?
child-get-card =
    Đưa trẻ đến Công an xã để làm thẻ Căn cước (hỏi cần mang gì).
    Ở đó công an lấy vân tay và ảnh chân dung của trẻ; có thể xin làm luôn VNeID mức 2 cho trẻ.
    Trẻ có thẻ rồi, bạn quay lại đây và bắt đầu lại.
child-under-6 =
    Trẻ dưới 6 tuổi có thể có tài khoản mức 1, khi có thẻ Căn cước.
    Bạn có thể làm thẻ Căn cước cho trẻ ngay trong ứng dụng VNeID của mình.
child-parent-ask =
    Bạn đăng ký cho trẻ qua tài khoản VNeID mức 2 của chính bạn, trên điện thoại của bạn (SIM đứng tên bạn).
    Bạn đã có tài khoản VNeID mức 2 chưa?
child-parent-first =
    Trước hết hãy làm tài khoản mức 2 cho chính bạn: hướng dẫn tiếp tục với bạn ngay bây giờ.
    Khi tài khoản của bạn xong, bắt đầu lại và chọn "Cho con tôi".
child-register =
    Mở ứng dụng VNeID của bạn và tìm mục đăng ký tài khoản cho trẻ dưới 14 tuổi (tên mục có thể khác: Công an xã chỉ cho bạn được).
    Làm theo ứng dụng: chọn trẻ, kiểm tra thông tin, gửi.
    Các con số chỉ gõ trong ứng dụng, không bao giờ gửi vào đây.
child-wait =
    ✅ Đã gửi. Kết quả sẽ báo trong ứng dụng VNeID của bạn.
    Trẻ từ 6 đến 13 tuổi làm mức 2: đưa trẻ đến Công an xã để lấy vân tay và ảnh chân dung.

## Không có điện thoại thông minh

bp-police =
    Đến một Công an xã: xã mình hoặc xã khác. Mang theo:
    - thẻ căn cước công dân gắn chip hoặc thẻ Căn cước
    - điện thoại, điện thoại thường cũng được, có SIM đứng tên bạn
    Nói rằng bạn không có điện thoại thông minh. Công an chụp ảnh chân dung và lấy vân tay để làm mức 2.
bp-wait =
    Kết quả và mã kích hoạt được gửi bằng tin nhắn đến điện thoại của bạn.
    Tin nhắn có thể có đường link: đừng bấm vào.
    ⚠️ Đừng nói mã này cho ai: công an, cán bộ xã và bot này không bao giờ hỏi.
bp-activate =
    Trên máy tính (bộ phận một cửa của xã có máy), gõ đúng vneid.gov.vn và chọn "Kích hoạt tài khoản".
    Tự gõ số định danh, số điện thoại và mã trong tin nhắn, rồi đặt mật khẩu theo yêu cầu của trang.
    Cán bộ có thể chỉ chỗ gõ; mã và mật khẩu bạn tự gõ.
bp-login =
    ✅ Tài khoản mức 2 của bạn đã kích hoạt.
    Tại máy tính của bộ phận một cửa: dichvucong.gov.vn → "Đăng nhập" → VNeID. Gõ số định danh và mật khẩu; mã được gửi bằng tin nhắn đến điện thoại của bạn, bạn tự gõ.
    Xong việc thì đăng xuất.

## Mức 1: tự đăng ký trong ứng dụng

l1-install =
    📱 Cài ứng dụng VNeID
    Chỉ cài từ CH Play (Google Play) hoặc App Store: tìm "VNeID".
    Nhà phát triển: Trung tâm dữ liệu quốc gia về dân cư (Bộ Công an).
    Không bao giờ cài từ đường link trong tin nhắn, Zalo hay do người lạ gửi.
l1-register =
    Mở ứng dụng VNeID.
    Chọn "Đăng ký tài khoản mức 1".
    Nếu ứng dụng hỏi số căn cước hay số điện thoại: gõ vào ứng dụng VNeID, đừng gửi vào đây.
l1-scan =
    Quét chip trên thẻ bằng NFC:
    bật NFC, áp thẻ vào mặt sau điện thoại (thường ở phía trên), giữ yên vài giây.
    Máy không có NFC: ứng dụng cho quét mã QR in trên thẻ.
l1-confirm =
    Xem lại thông tin ứng dụng hiện ra, đúng thì xác nhận.
    Chụp ảnh khuôn mặt: chỗ đủ sáng, bỏ mũ và kính, giữ yên.
    Email: không bắt buộc.
    Làm theo ứng dụng đến khi gửi xong.
l1-wait =
    Chờ duyệt (thường 1 đến 3 ngày).
    Khi được duyệt, bạn nhận tin nhắn SMS từ "Cuc Canh sat QLHC ve TTXH".
    Tin nhắn có thể có đường link: đừng bấm vào. Tự mở ứng dụng VNeID.
    Có tin nhắn rồi, bạn tiếp tục kích hoạt tài khoản.
l1-not-yet =
    Việc duyệt có thể mất một thời gian. Bạn có thể tạm dừng.
    Khi có tin nhắn, bắt đầu lại và chọn "Đã đăng ký, chưa kích hoạt".
    Chờ lâu mà không có tin nhắn: hỏi Công an xã.

## Kích hoạt tài khoản

act-open =
    Mở VNeID, chọn "Kích hoạt tài khoản".
    Gõ số định danh 12 số (số trên thẻ căn cước) và số điện thoại của bạn vào ứng dụng VNeID.
    Chỉ gõ trong ứng dụng. Không bao giờ gửi các số này vào đây.
act-otp =
    Mã OTP được gửi bằng SMS đến điện thoại của bạn. Gõ mã vào ứng dụng VNeID.
    ⚠️ Không nói mã này cho ai. Công an, cán bộ xã và bot này không bao giờ hỏi mã.
act-password =
    Nếu ứng dụng yêu cầu đặt mật khẩu (chỉ khi trước đây bạn chưa có tài khoản VNeID): 8 đến 20 ký tự, có chữ hoa (A-Z), chữ thường (a-z), chữ số (0-9) và ký tự đặc biệt (như @ hoặc !).
    Không được hỏi: bấm "Xong".
    Đừng ghi ở chỗ người khác nhìn thấy. Không ai được hỏi mật khẩu của bạn: công an, cán bộ xã, bot này đều không.
act-passcode =
    Đặt passcode: 6 chữ số. Đừng dùng ngày sinh hay số dễ đoán.
    Nhớ kỹ, không viết ở chỗ người khác nhìn thấy.
    Không ai được hỏi passcode của bạn, kể cả công an, cán bộ xã hay bot này.
act-questions =
    Chọn 2 câu hỏi bảo mật và trả lời.
    Nhớ kỹ câu trả lời. Nếu ghi lại, cất ở chỗ người khác không thấy.
    Đừng nói câu trả lời cho ai.
act-level2-offer =
    ✅ Tài khoản VNeID của bạn đã được kích hoạt.
    Để dùng Cổng Dịch vụ công Quốc gia, bạn cần tài khoản mức 2. Mức 2 chỉ làm trực tiếp tại Công an xã.
    Bạn muốn làm ngay không?
    Đã làm mức 2 ở công an: chọn "Đã làm ở công an rồi".

## Mức 2: tại Công an xã

lv2-go =
    Bạn tự đến một Công an xã: xã mình, hoặc bất kỳ xã nào khác, ví dụ nơi bạn đi làm. Mang theo:
    - thẻ căn cước công dân gắn chip hoặc thẻ Căn cước
    - điện thoại có SIM đứng tên bạn
    Mức 2 chỉ làm ở đó: không làm tại nhà, không làm qua điện thoại, không ai làm thay được.
    ⚠️ Cuộc gọi bảo bạn "nâng cấp VNeID lên mức 2" là lừa đảo.
lv2-officer =
    Cán bộ công an chụp ảnh chân dung và lấy vân tay của bạn, rồi đối chiếu với cơ sở dữ liệu dân cư.
    Công an không hỏi mã OTP, mật khẩu hay passcode của bạn: đừng nói các mã này cho ai.
lv2-result =
    Kết quả sẽ đến qua ứng dụng VNeID, SMS hoặc email.
    Đã có tài khoản mức 1: tài khoản được nâng lên mức 2.
    Chưa có tài khoản: cần kích hoạt bằng "Kích hoạt tài khoản" (chọn "Cần kích hoạt").
lv2-not-yet =
    Kết quả có thể mất một thời gian. Bạn có thể tạm dừng.
    Lần sau, bắt đầu lại. Ở câu hỏi về VNeID, chọn "Có, mức 1" nếu bạn đã có mức 1; nếu chưa, chọn "Đã đăng ký, chưa kích hoạt".
    Chờ lâu mà không có: hỏi Công an xã.
lv2-check =
    Đăng xuất khỏi VNeID rồi đăng nhập lại: mức mới chỉ hiện sau khi đăng nhập lại.
    Xem tài khoản: bây giờ phải là mức 2.
login-offer =
    ✅ Tài khoản VNeID mức 2 của bạn đã sẵn sàng.
    Bây giờ đăng nhập Cổng Dịch vụ công Quốc gia nhé?

## Đăng nhập Cổng Dịch vụ công Quốc gia

login-open =
    Mở trình duyệt (ví dụ Chrome) và gõ đúng dichvucong.gov.vn.
    ⚠️ Không bấm đường link, không cài "ứng dụng Cổng dịch vụ công" do người khác gửi: năm 2025 các trang và ứng dụng giả đã thu phí rồi lấy tiền trong tài khoản ngân hàng. Cổng miễn phí.
    Bấm "Đăng nhập".
login-vneid =
    Chọn "Tài khoản định danh điện tử cấp bởi Bộ Công an" (có biểu tượng VNeID).
    Có 2 cách đăng nhập: bằng mật khẩu VNeID, hoặc quét mã QR bằng ứng dụng VNeID.
    Bạn chọn cách nào?
login-password =
    Trên trang web, gõ số định danh 12 số và mật khẩu VNeID.
    Sau đó có mã gửi bằng SMS đến số điện thoại đã đăng ký (gõ mã lên trang), hoặc VNeID hỏi bạn xác nhận.
    ⚠️ Đừng nói mã hay mật khẩu cho ai: công an, cán bộ xã và bot này không bao giờ hỏi.
login-qr =
    Trang hiện một mã QR. Trong ứng dụng VNeID (mức 2), bấm nút quét mã QR, quét mã trên màn hình rồi xác nhận.
    Ứng dụng có thể hỏi cho phép đăng nhập trên web trước: hãy cho phép.
    Cách này cần trang mở trên một màn hình khác (ví dụ máy tính).
login-first =
    Lần đầu đăng nhập: kiểm tra thông tin cá nhân Cổng hiện ra, và điền những gì Cổng yêu cầu.
    Vào được trang của bạn là đã đăng nhập xong.

## Khi gặp trục trặc

problem-menu =
    Bạn gặp vấn đề gì? Chọn một.
    Không thấy vấn đề của bạn: chọn "Vấn đề khác".
trouble-get-help =
    Vẫn không được? Bạn có thể nhờ:
    - Công an xã (mang thẻ căn cước và điện thoại)
    - tổng đài VNeID: 1900 0368 (có tính cước; bấm phím 4 để gặp người trực)
    - cán bộ xã: bấm "Hỏi cán bộ xã" bên dưới.
    Không ai được hỏi mã OTP, mật khẩu hay passcode của bạn.
trouble-no-otp =
    Không nhận được mã OTP?
    - Kiểm tra điện thoại có sóng và SIM đang ở trong máy. Máy hai SIM: đúng SIM.
    - Kiểm tra tin nhắn không bị chặn hay nằm trong mục tin rác.
    - Mỗi mã dùng được khoảng 3 phút: chờ 1 phút rồi xin mã mới.
    - Số điện thoại phải đứng tên chính bạn.
    Không ai được hỏi mã này, kể cả bot này.
trouble-sim-name =
    SIM phải đứng tên chính bạn: số đứng tên người khác bị từ chối cho tài khoản của bạn.
    Kiểm tra: soạn TTTB gửi 1414 (miễn phí). Tin trả lời cho biết SIM đứng tên ai.
    Không phải tên bạn: mang thẻ căn cước ra cửa hàng nhà mạng để chuyển SIM sang tên bạn. Rồi làm lại.
trouble-nfc-fails =
    Không đọc được chip?
    - Bật NFC trong "Cài đặt" của máy.
    - Chỗ đọc thường ở phía trên, mặt sau máy.
    - Tháo ốp lưng dày.
    - Áp thẻ phẳng, giữ yên vài giây.
    Rồi thử lại.
trouble-no-nfc =
    Máy không có NFC (iPhone cũ hơn iPhone 7, một số máy Android rẻ)?
    - Mức 1: dùng mã QR in trên thẻ thay cho chip.
    - Hoặc nhờ Công an xã đăng ký giúp.
trouble-new-phone =
    Đổi điện thoại mới mà mã lại gửi về máy cũ?
    Việc này xảy ra khi đăng nhập VNeID trên máy mới: mỗi lúc tài khoản chỉ đăng nhập trên một máy.
    Trên máy mới chọn "Xác thực NFC bằng thẻ CCCD gắn chíp" và quét thẻ. Hoặc đăng nhập trên máy cũ để xem mã. Máy mới không có NFC: đến Công an xã.
    Không ai được hỏi mã này.
trouble-changed-phone =
    Đã đổi số điện thoại?
    Đến Công an xã, hoặc gọi tổng đài VNeID 1900 0368 để được giúp.
    Nhớ: số mới cũng phải đứng tên bạn.
trouble-forgot-password =
    Quên mật khẩu VNeID?
    Trong VNeID chọn "Quên mật khẩu". Gõ số định danh và số điện thoại vào ứng dụng, rồi họ tên, ngày sinh, ngày cấp thẻ. Nhập mã OTP từ SMS, rồi đặt mật khẩu mới.
    Không nói mã hay mật khẩu cho ai, kể cả công an, cán bộ xã hay bot này.
trouble-forgot-passcode =
    Quên passcode?
    Trong VNeID mở một dịch vụ bất kỳ, chọn "Quên passcode", nhập mã OTP từ SMS, rồi đặt passcode mới (6 số).
    Không nói mã hay passcode cho ai, kể cả công an, cán bộ xã hay bot này.
trouble-old-cmnd =
    Chứng minh nhân dân cũ (CMND, 9 hoặc 12 số) không còn giá trị (chậm nhất từ 31/12/2024). Thẻ căn cước công dân mã vạch, không có chip, cũng không đủ.
    Trước hết hãy làm thẻ Căn cước gắn chip ở công an. Có thể xin làm luôn VNeID mức 2.
    Có thẻ rồi, bạn quay lại đây.
trouble-exists =
    Ứng dụng báo tài khoản đã có (hoặc báo lỗi tương tự), hay hồ sơ không được duyệt?
    Có thể bạn đã được đăng ký trước đó (ví dụ ở công an).
    Thử "Kích hoạt tài khoản" hoặc "Quên mật khẩu".
    Vẫn không được: đến Công an xã.
trouble-locked =
    Tài khoản bị khóa vì nhập sai nhiều lần?
    - Chờ một lúc rồi thử lại (ứng dụng có thể báo phải chờ bao lâu).
    - Hoặc chọn "Quên mật khẩu" trong VNeID.
    - Vẫn bị khóa: tổng đài VNeID 1900 0368, hoặc Công an xã.
trouble-lost-phone =
    Mất điện thoại hoặc bị lấy cắp?
    1. Trước hết khóa tài khoản: gọi tổng đài VNeID 1900 0368, hoặc trên vneid.gov.vn chọn "Yêu cầu khóa tài khoản" (máy tính của bộ phận một cửa giúp được).
    2. Làm lại SIM ở cửa hàng nhà mạng, mang theo thẻ căn cước.
    3. Sau đó trên điện thoại mới có NFC, đăng nhập VNeID và quét thẻ; không có NFC thì đến Công an xã.
trouble-face =
    Chụp mặt không được?
    - Đứng chỗ đủ sáng.
    - Bỏ mũ, bỏ kính.
    - Giữ yên điện thoại và khuôn mặt.
    - Mạng yếu cũng gây lỗi: thử ở chỗ có sóng 4G tốt hơn.
    Thử lại. Vẫn không được: đến Công an xã.
trouble-code-expired =
    Mã kích hoạt hết hạn hoặc bị mất?
    Công an xã có thể gửi lại mã. Hãy đến Công an xã, mang thẻ căn cước và điện thoại.
    Không nói mã cho ai, kể cả cán bộ: không ai được hỏi mã này.
trouble-details-wrong =
    Họ tên, ngày sinh hoặc địa chỉ bị sai? (Sau khi sáp nhập xã năm 2025, có địa chỉ bị cập nhật sai.)
    Thông tin lấy từ Cơ sở dữ liệu quốc gia về dân cư. Công an xã sẽ sửa: mang thẻ căn cước đến Công an xã.
trouble-install =
    Không tìm thấy hoặc không cài được VNeID?
    - Tìm "VNeID" trong CH Play hoặc App Store.
    - Nhà phát triển phải là Trung tâm dữ liệu quốc gia về dân cư (Bộ Công an).
    - Cần có mạng: thử ở chỗ có sóng tốt hơn.
    Không cài từ đường link ai đó gửi cho bạn.
trouble-signal =
    Mạng yếu?
    - Đến chỗ có sóng 4G mạnh hơn (chỗ cao, gần trung tâm xã), hoặc dùng Wi-Fi nếu có.
    - Chờ một lúc rồi thử lại.
trouble-password-rules =
    Mật khẩu không được nhận? Mật khẩu cần:
    - từ 8 đến 20 ký tự
    - có chữ hoa (A-Z) và chữ thường (a-z)
    - có chữ số (0-9)
    - có ký tự đặc biệt (như @ hoặc !)
    Giữ bí mật: không ai được hỏi mật khẩu của bạn.
trouble-qr =
    Quét mã QR không được?
    - Cách này cần tài khoản mức 2.
    - Ứng dụng có thể hỏi cho phép đăng nhập trên web: hãy cho phép, rồi quét lại.
    - Mã QR phải hiện trên một màn hình khác.
    Hoặc đăng nhập bằng mật khẩu.

## Kết thúc

finish-thanks =
    Cảm ơn bạn đã làm theo hướng dẫn.
    Dừng ở bước nào cũng được: lần sau bắt đầu lại và trả lời các câu hỏi, hướng dẫn sẽ đưa bạn đến bước tiếp theo.
    Cần giúp: bộ phận một cửa của xã hoặc Công an xã.
purpose-ask =
    Bạn cần tài khoản này để làm thủ tục gì?
    (Để xã biết người dân cần gì.)
rate-ask = Hướng dẫn này có giúp ích cho bạn không?
end-bye =
    Cảm ơn bạn. Chúc bạn thành công!
    Muốn xem lại hướng dẫn, bấm "Bắt đầu lại".

## Nút bấm (tối đa 28 ký tự)

btn-understood = ✅ Tôi đã hiểu
btn-have = ✅ Có
btn-have-not = ❌ Không có
btn-dont-know = Không biết
btn-not-sure = Không chắc
btn-continue = Tiếp tục
btn-done = ✅ Xong
btn-not-working = ❌ Không được
btn-fixed-continue = ✅ Đã được, tiếp tục
btn-still-not-working = ❌ Vẫn không được
btn-later = Để lúc khác
btn-now = ✅ Làm ngay
btn-try-again = Thử lại
btn-stop-now = Tạm dừng
btn-start-again = 🔄 Bắt đầu lại
btn-cmnd-only = Chỉ có CMND cũ
btn-no-card = Không có thẻ
btn-has-chip = Có chip
btn-no-chip = Không có chip
btn-my-name = Tên tôi
btn-not-my-name = Tên người khác
btn-vneid-none = Chưa có
btn-vneid-not-active = Đã đăng ký, chưa kích hoạt
btn-level1 = Có, mức 1
btn-level2 = Có, mức 2
btn-forgot-password = Quên mật khẩu
btn-has-nfc = Có NFC
btn-no-nfc = Không có NFC
btn-sms-came = ✅ Đã có tin nhắn
btn-sms-not-yet = Chưa có tin nhắn
btn-already-police = Đã làm ở công an rồi
btn-at-police = ✅ Tôi đã đến công an
btn-result-came = ✅ Đã có kết quả
btn-result-not-yet = Chưa có kết quả
btn-must-activate = Cần kích hoạt
btn-is-level2 = ✅ Đã là mức 2
btn-with-password = Dùng mật khẩu
btn-with-qr = Quét mã QR
btn-logged-in = ✅ Đã đăng nhập
btn-try-activation = Thử kích hoạt
btn-p-install = Không cài được ứng dụng
btn-p-signal = Mạng yếu
btn-p-other = Vấn đề khác
btn-p-exists = Báo tài khoản đã có
btn-p-not-approved = Không được duyệt
btn-p-old-cmnd = Chỉ có CMND cũ
btn-p-nfc-fails = Không đọc được chip
btn-p-no-nfc = Máy không có NFC
btn-p-face = Chụp mặt không được
btn-p-details = Thông tin bị sai
btn-p-changed-phone = Đã đổi số điện thoại
btn-p-code-expired = Mã kích hoạt hết hạn/mất
btn-p-no-otp = Không nhận được OTP
btn-p-sim-name = SIM không đứng tên tôi
btn-p-new-phone = Mã gửi về máy cũ
btn-p-password-rules = Mật khẩu không được nhận
btn-p-forgot-passcode = Quên passcode
btn-p-qr = Quét QR không được
btn-for-me = 👤 Cho tôi (từ 14 tuổi)
btn-for-child = 👶 Cho con tôi (dưới 14)
btn-i-am-under-14 = Tôi chưa đủ 14 tuổi
btn-parent-here = Cha mẹ tôi ở đây
btn-child-6-13 = Từ 6 đến 13 tuổi
btn-child-under-6 = Dưới 6 tuổi
btn-child-has-card = ✅ Trẻ có thẻ Căn cước
btn-child-no-card = ❌ Chưa có thẻ
btn-parent-level2 = ✅ Tôi có mức 2
btn-parent-not-level2 = Tôi chưa có mức 2
btn-sent = ✅ Đã gửi
btn-card-valid = ✅ Còn hạn
btn-card-expired = ❌ Hết hạn, đến hạn đổi
btn-phone-mine = ✅ Có, tên tôi
btn-phone-not-mine = ❌ Không, tên người khác
btn-phone-shared = Điện thoại chung cả nhà
btn-number-free = ✅ Tên tôi, chưa ai dùng
btn-need-own-sim = Tôi cần SIM riêng
btn-activated = ✅ Đã kích hoạt
btn-account-problem = Tài khoản có trục trặc
btn-p-locked = Tài khoản bị khóa
btn-p-lost-phone = Mất điện thoại
btn-purpose-justice = Hộ tịch, khai sinh
btn-purpose-labour = Lao động, thương binh, XH
btn-purpose-land = Đất đai
btn-purpose-health = Bảo hiểm y tế
btn-purpose-other = Việc khác
btn-rate-good = 👍 Có ích
btn-rate-so-so = Bình thường
btn-rate-bad = 👎 Không có ích

## Nhắc lại khi đang chờ

fu-l1 =
    👋 Nhắc lại từ bộ phận một cửa của xã: bạn đang chờ duyệt tài khoản VNeID.
    Đã có tin nhắn SMS báo được duyệt chưa?
fu-lv2 =
    👋 Nhắc lại từ bộ phận một cửa của xã: bạn định đến Công an xã để lên tài khoản VNeID mức 2.
    Bạn đã đến chưa?
fu-bp =
    👋 Nhắc lại từ bộ phận một cửa của xã: bạn đang chờ tin nhắn có mã kích hoạt tài khoản VNeID.
    Đã có tin nhắn chưa?
fu-stopped =
    Bot sẽ không nhắc nữa.
    Khi sẵn sàng, bấm /start để bắt đầu lại. Cần giúp: đến bộ phận một cửa của xã.
btn-fu-stop = 🔕 Đừng nhắc nữa
btn-fu-not-yet = Chưa đến
